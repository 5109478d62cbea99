package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The figures a verification compares, and its verdict (SPEC §3). */
class TotalsAndVerificationReportTest {
  private static final LocalDate DAY = LocalDate.of(2026, 3, 14);
  private static final Totals STORED = new Totals(3, new BigDecimal("1.50"), 600, 60);

  @Test
  void givenTheSameFiguresAtAnotherScale_thenSameAs_andMatches() {
    Totals rescaled = new Totals(3, new BigDecimal("1.5000"), 600, 60);

    assertThat(STORED.sameAs(rescaled)).isTrue();
    assertThat(RawTotals.of(rescaled).matches(STORED, BigDecimal.ZERO)).isTrue();
    assertThat(STORED).as("equals compares the scale").isNotEqualTo(rescaled);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "record count, 4, 1.50, 600, 60",
    "cost, 3, 1.51, 600, 60",
    "input tokens, 3, 1.50, 601, 60",
    "output tokens, 3, 1.50, 600, 59",
  })
  void givenOneFigureDiffers_thenNotSameAs(
      String figure, long count, String cost, long in, long out) {
    Totals other = new Totals(count, new BigDecimal(cost), in, out);

    assertThat(STORED.sameAs(other)).as(figure).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"record count, 4, 1.50", "cost, 3, 1.51"})
  void givenTheCountOrCostOfTheRawTableDiffers_thenNoMatchWithoutTolerance(
      String figure, long count, String cost) {
    assertThat(new RawTotals(count, new BigDecimal(cost)).matches(STORED, BigDecimal.ZERO))
        .as(figure)
        .isFalse();
  }

  @Test
  void givenACostToleranceForRoundingDeployments_thenOnlyTheCostMayDifferByAtMostIt() {
    BigDecimal cent = new BigDecimal("0.01");

    assertThat(new RawTotals(3, new BigDecimal("1.51")).matches(STORED, cent)).isTrue();
    assertThat(new RawTotals(3, new BigDecimal("1.49")).matches(STORED, cent)).isTrue();
    assertThat(new RawTotals(3, new BigDecimal("1.5101")).matches(STORED, cent)).isFalse();
    assertThat(new RawTotals(4, new BigDecimal("1.50")).matches(STORED, cent))
        .as("counts are always exact")
        .isFalse();
  }

  @Test
  void givenTotals_thenOneReadableLine() {
    assertThat(new Totals(3, new BigDecimal("1E-10"), 600, 60))
        .hasToString("3 records, cost 0.0000000001, tokens 600 in / 60 out");
    assertThat(new RawTotals(3, new BigDecimal("1E-10")))
        .hasToString("3 records, cost 0.0000000001");
  }

  @Test
  void givenStoredRawAndBreakdownAlike_thenPassed() {
    VerificationReport report = report(RawTotals.of(STORED), STORED, BigDecimal.ZERO, false);

    assertThat(report.passed()).isTrue();
    assertThat(report.describe()).isEqualTo("verified 2026-03-14 revision 2");
  }

  @Test
  void givenTheRawTableDiffers_thenFailed_withBothFigures() {
    RawTotals raw = new RawTotals(4, new BigDecimal("2.50"));

    VerificationReport report = report(raw, STORED, BigDecimal.ZERO, false);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe())
        .isEqualTo(
            "verification failed for 2026-03-14 revision 2: stored [3 records, cost 1.50] but raw"
                + " table has [4 records, cost 2.50] (cost tolerance 0)");
  }

  @Test
  void givenTheBreakdownDoesNotSumToTheHeader_thenFailed_withBothFigures() {
    Totals breakdown = new Totals(2, new BigDecimal("1.50"), 600, 60);

    VerificationReport report = report(RawTotals.of(STORED), breakdown, BigDecimal.ZERO, false);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe())
        .isEqualTo(
            "verification failed for 2026-03-14 revision 2: header [3 records, cost 1.50, tokens"
                + " 600 in / 60 out] but breakdown sums to [2 records, cost 1.50, tokens 600 in /"
                + " 60 out]");
  }

  @Test
  void givenACostWithinTheTolerance_thenPassed_butTheBreakdownMustStillSumExactly() {
    Totals offByLessThanTheTolerance = new Totals(3, new BigDecimal("1.504"), 600, 60);
    BigDecimal tolerance = new BigDecimal("0.01");

    assertThat(report(RawTotals.of(offByLessThanTheTolerance), STORED, tolerance, false).passed())
        .isTrue();
    assertThat(report(RawTotals.of(STORED), offByLessThanTheTolerance, tolerance, false).passed())
        .as("breakdown off by 0.004")
        .isFalse();
  }

  @Test
  void givenANewerWriterSupersededIt_thenItPassesNoJudgement() {
    VerificationReport report = report(RawTotals.of(STORED), STORED, BigDecimal.ZERO, true);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe())
        .isEqualTo("verification of 2026-03-14 revision 2 superseded by a newer writer");
  }

  private static VerificationReport report(
      RawTotals raw, Totals breakdown, BigDecimal tolerance, boolean superseded) {
    return new VerificationReport(DAY, 2, STORED, raw, breakdown, tolerance, superseded, false);
  }
}
