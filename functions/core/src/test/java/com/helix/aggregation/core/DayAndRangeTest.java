package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The UTC day (SPEC §2), ranges of days, and what a day's status asks for. */
class DayAndRangeTest {
  private static final LocalDate DAY = LocalDate.of(2026, 3, 29);

  @Test
  void givenADay_thenItIsTheHalfOpenUtcInterval() {
    assertThat(UtcDay.start(DAY)).isEqualTo(Instant.parse("2026-03-29T00:00:00Z"));
    assertThat(UtcDay.end(DAY)).isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));
  }

  @Test
  void givenTheLastMicrosecondOfTheDay_thenNotComplete_andAtItsEndComplete() {
    assertThat(UtcDay.isComplete(DAY, Instant.parse("2026-03-29T23:59:59.999999Z"))).isFalse();
    assertThat(UtcDay.isComplete(DAY, Instant.parse("2026-03-30T00:00:00Z"))).isTrue();
    assertThat(UtcDay.isComplete(DAY, Instant.parse("2026-03-31T12:00:00Z"))).isTrue();
    assertThat(UtcDay.isComplete(DAY, Instant.parse("2026-03-28T12:00:00Z"))).isFalse();
  }

  @Test
  void givenAClockInAnotherZone_thenTodayIsStillTheUtcDate() {
    Clock kolkata = Clock.fixed(Instant.parse("2026-03-29T20:00:00Z"), ZoneId.of("Asia/Kolkata"));

    assertThat(UtcDay.today(kolkata)).isEqualTo(DAY);
  }

  @Test
  void givenARange_thenItsDaysOldestFirst_andItsSize() {
    DayRange range = new DayRange(DAY, DAY.plusDays(3));

    assertThat(range.days())
        .containsExactly(DAY, DAY.plusDays(1), DAY.plusDays(2), DAY.plusDays(3));
    assertThat(range.size()).isEqualTo(4);
    assertThat(range).hasToString("2026-03-29..2026-04-01");
    assertThat(new DayRange(DAY, DAY).days()).containsExactly(DAY);
  }

  @Test
  void givenEachStatus_thenItsLabel_andWhetherARunHasWorkToDo() {
    assertThat(DayStatus.values())
        .extracting(s -> s.label() + (s.needsWork() ? " needs work" : ""))
        .containsExactly(
            "missing needs work",
            "verified",
            "unchanged",
            "changed needs work",
            "unverified needs work",
            "partial needs work",
            "failed needs work",
            "permanently failed needs work");
  }

  @Test
  void givenAStoredDayAndItsRetryState_thenItsStatus() {
    Failure boom = new Failure("X", "boom", "X: boom", true);
    RetryPolicy policy = RetryPolicy.defaults(1);
    DayState fresh = DayState.fresh(DAY);
    DayState failedForGood = fresh.afterFailure(Instant.EPOCH, boom, policy);
    DayState failedOnce = fresh.afterFailure(Instant.EPOCH, boom, RetryPolicy.defaults(3));
    Optional<DailyAggregate> verified = Optional.of(aggregate(Verification.VERIFIED, true));

    assertThat(DayStatus.of(Optional.empty(), fresh)).isEqualTo(DayStatus.MISSING);
    assertThat(DayStatus.of(verified, fresh)).isEqualTo(DayStatus.VERIFIED);
    assertThat(DayStatus.of(Optional.of(aggregate(Verification.UNVERIFIED, true)), fresh))
        .isEqualTo(DayStatus.UNVERIFIED);
    assertThat(DayStatus.of(Optional.of(aggregate(Verification.VERIFIED, false)), fresh))
        .isEqualTo(DayStatus.PARTIAL);
    assertThat(DayStatus.of(verified, failedOnce)).isEqualTo(DayStatus.FAILED);
    assertThat(DayStatus.of(verified, failedForGood)).isEqualTo(DayStatus.PERMANENTLY_FAILED);
  }

  @Test
  void givenASourceHash_thenItPrintsAsItsValue() {
    assertThat(SourceHash.ofSum(SourceHash.Algorithm.H2, java.math.BigInteger.TEN))
        .hasToString("h2:000000000000000a");
  }

  private static DailyAggregate aggregate(Verification verification, boolean complete) {
    return new DailyAggregate(
        DAY,
        Totals.ZERO,
        SourceHash.ofSum(SourceHash.Algorithm.H2, java.math.BigInteger.ZERO),
        complete,
        verification,
        1L,
        1,
        Instant.EPOCH,
        null);
  }
}
