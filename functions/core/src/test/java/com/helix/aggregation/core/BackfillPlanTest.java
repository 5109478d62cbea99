package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillPlanTest {
  private static final LocalDate D1 = LocalDate.of(2026, 1, 1);
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void givenStoredDaysAndStates_thenEachDayOldestFirstWithWhyItIsThere() {
    DayRange range = new DayRange(D1, D1.plusDays(5));
    List<DailyAggregate> stored =
        List.of(
            aggregate(D1.plusDays(1), Verification.VERIFIED, true),
            aggregate(D1.plusDays(2), Verification.UNVERIFIED, true),
            aggregate(D1.plusDays(3), Verification.VERIFIED, false));
    Failure boom = new Failure("X", "boom", "X: boom", true);
    RetryPolicy policy = RetryPolicy.defaults(3);
    DayState failedOnce = DayState.fresh(D1.plusDays(4)).afterFailure(NOW, boom, policy);
    DayState failedForGood =
        DayState.fresh(D1.plusDays(5))
            .afterFailure(NOW, boom, policy)
            .afterFailure(NOW, boom, policy)
            .afterFailure(NOW, boom, policy);

    BackfillPlan plan =
        BackfillPlan.of(
            range, stored, Map.of(D1.plusDays(4), failedOnce, D1.plusDays(5), failedForGood));

    assertThat(plan.days())
        .extracting(PlannedDay::status)
        .containsExactly(
            DayStatus.MISSING,
            DayStatus.VERIFIED,
            DayStatus.UNVERIFIED,
            DayStatus.PARTIAL,
            DayStatus.FAILED,
            DayStatus.PERMANENTLY_FAILED);
    assertThat(plan.toRun()).hasSize(5).doesNotContain(D1.plusDays(5));
    assertThat(plan.permanentlyFailed()).containsExactly(D1.plusDays(5));
  }

  @Test
  void givenRanges_thenTheBoundariesOfSpec7() {
    assertThatThrownBy(() -> new DayRange(D1.plusDays(1), D1))
        .hasMessage("--from 2026-01-02 is after --to 2026-01-01");
    request(LocalDate.of(2016, 11, 28), LocalDate.of(2026, 11, 27), false).check(CLOCK);
    assertThatThrownBy(
            () ->
                request(LocalDate.of(2016, 11, 27), LocalDate.of(2026, 11, 27), false).check(CLOCK))
        .hasMessageContaining("spans 3653 days; a backfill covers at most 10 years");
    assertThatThrownBy(() -> request(D1, LocalDate.of(2026, 11, 28), false).check(CLOCK))
        .hasMessageContaining("pass --include-today");
    request(D1, LocalDate.of(2026, 11, 28), true).check(CLOCK);
    assertThatThrownBy(() -> request(D1, LocalDate.of(2026, 11, 29), true).check(CLOCK))
        .hasMessageContaining("is in the future (today is 2026-11-28 UTC)");
  }

  @Test
  void givenProgress_thenRateAndEta() {
    BackfillProgress progress = new BackfillProgress(7, 0, 365, Duration.ofSeconds(2));

    assertThat(progress.rate()).isEqualTo(3.5);
    assertThat(progress.eta().orElseThrow().toMillis()).isEqualTo(102_285);
    assertThat(new BackfillProgress(0, 0, 365, Duration.ZERO).eta()).isEmpty();
  }

  private static BackfillRequest request(LocalDate from, LocalDate to, boolean includeToday) {
    return new BackfillRequest(new DayRange(from, to), includeToday, false, false, "r");
  }

  private static DailyAggregate aggregate(LocalDate day, Verification v, boolean complete) {
    return new DailyAggregate(
        day,
        new Totals(1, BigDecimal.ONE, 1, 1),
        SourceHash.ofSum(SourceHash.Algorithm.H2, BigInteger.ONE),
        complete,
        v,
        1L,
        1,
        NOW,
        null);
  }

  @Test
  void givenARequest_thenItsRunOptionsCarryForceAndIncludeToday() {
    DayRange range = new DayRange(D1, D1);

    assertThat(new BackfillRequest(range, true, false, false, "r").runOptions())
        .isEqualTo(new RunOptions(false, true));
    assertThat(new BackfillRequest(range, false, true, false, "r").runOptions())
        .isEqualTo(new RunOptions(true, false));
  }
}
