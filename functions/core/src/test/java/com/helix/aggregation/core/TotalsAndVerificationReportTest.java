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
    assertThat(STORED.matches(rescaled, BigDecimal.ZERO)).isTrue();
    assertThat(STORED).as("equals compares the scale").isNotEqualTo(rescaled);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "record count, 4, 1.50, 600, 60",
    "cost, 3, 1.51, 600, 60",
    "input tokens, 3, 1.50, 601, 60",
    "output tokens, 3, 1.50, 600, 59",
  })
  void givenOneFigureDiffers_thenNeitherSameAsNorMatchesWithoutTolerance(
      String figure, long count, String cost, long in, long out) {
    Totals other = new Totals(count, new BigDecimal(cost), in, out);

    assertThat(STORED.sameAs(other)).as(figure).isFalse();
    assertThat(STORED.matches(other, BigDecimal.ZERO)).as(figure).isFalse();
  }

  @Test
  void givenACostToleranceForRoundingDeployments_thenOnlyTheCostMayDifferByAtMostIt() {
    BigDecimal cent = new BigDecimal("0.01");

    assertThat(STORED.matches(new Totals(3, new BigDecimal("1.51"), 600, 60), cent)).isTrue();
    assertThat(STORED.matches(new Totals(3, new BigDecimal("1.49"), 600, 60), cent)).isTrue();
    assertThat(STORED.matches(new Totals(3, new BigDecimal("1.5101"), 600, 60), cent)).isFalse();
    assertThat(STORED.matches(new Totals(4, new BigDecimal("1.50"), 600, 60), cent))
        .as("counts are always exact")
        .isFalse();
    assertThat(STORED.matches(new Totals(3, new BigDecimal("1.50"), 601, 60), cent)).isFalse();
    assertThat(STORED.matches(new Totals(3, new BigDecimal("1.50"), 600, 61), cent)).isFalse();
  }

  @Test
  void givenTotals_thenOneReadableLine() {
    assertThat(new Totals(3, new BigDecimal("1E-10"), 600, 60))
        .hasToString("3 records, cost 0.0000000001, tokens 600 in / 60 out");
  }

  @Test
  void givenStoredRawAndBreakdownAlike_thenPassed() {
    VerificationReport report = report(STORED, STORED, BigDecimal.ZERO, false);

    assertThat(report.passed()).isTrue();
    assertThat(report.describe()).isEqualTo("verified 2026-03-14 revision 2");
  }

  @Test
  void givenTheRawTableDiffers_thenFailed_withBothFigures() {
    Totals raw = new Totals(4, new BigDecimal("2.50"), 700, 70);

    VerificationReport report = report(raw, STORED, BigDecimal.ZERO, false);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe())
        .isEqualTo(
            "verification failed for 2026-03-14 revision 2: stored [3 records, cost 1.50, tokens"
                + " 600 in / 60 out] but raw table has [4 records, cost 2.50, tokens 700 in / 70"
                + " out] (cost tolerance 0)");
  }

  @Test
  void givenTheBreakdownDoesNotSumToTheHeader_thenFailed_withBothFigures() {
    Totals breakdown = new Totals(2, new BigDecimal("1.50"), 600, 60);

    VerificationReport report = report(STORED, breakdown, BigDecimal.ZERO, false);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe())
        .isEqualTo(
            "verification failed for 2026-03-14 revision 2: header [3 records, cost 1.50, tokens"
                + " 600 in / 60 out] but breakdown sums to [2 records, cost 1.50, tokens 600 in /"
                + " 60 out]");
  }

  @Test
  void givenACostWithinTheTolerance_thenPassed_butTheBreakdownMustStillSumExactly() {
    Totals raw = new Totals(3, new BigDecimal("1.504"), 600, 60);
    BigDecimal tolerance = new BigDecimal("0.01");

    assertThat(report(raw, STORED, tolerance, false).passed()).isTrue();
    assertThat(report(STORED, raw, tolerance, false).passed())
        .as("breakdown off by 0.004")
        .isFalse();
  }

  @Test
  void givenANewerWriterSupersededIt_thenItPassesNoJudgement() {
    VerificationReport report = report(STORED, STORED, BigDecimal.ZERO, true);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe())
        .isEqualTo("verification of 2026-03-14 revision 2 superseded by a newer writer");
  }

  private static VerificationReport report(
      Totals raw, Totals breakdown, BigDecimal tolerance, boolean superseded) {
    return new VerificationReport(DAY, 2, STORED, raw, breakdown, tolerance, superseded, false);
  }
}
