package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** An attempt counted as abandoned that comes back alive: its charge is withdrawn. */
class DayStateRefundTest {
  private final RetryPolicy policy = RetryPolicy.defaults(3);
  private final Instant now = Instant.parse("2026-11-28T00:05:00Z");
  private final DayState fresh = DayState.fresh(LocalDate.of(2026, 11, 27));

  @Test
  void givenNoFailures_thenNothingToWithdraw() {
    assertThat(fresh.withoutAbandonedCharge(policy)).isSameAs(fresh);
  }

  @Test
  void givenOneAbandonment_thenBackToNoFailures_withoutANextAttemptTime() {
    DayState charged = fresh.afterFailures(1, now, Failure.abandoned(1), policy);

    DayState refunded = charged.withoutAbandonedCharge(policy);

    assertThat(refunded.consecutiveFailures()).isZero();
    assertThat(refunded.nextAttemptAt()).isNull();
    assertThat(refunded.isPermanentlyFailed()).isFalse();
  }

  @Test
  void givenTwoFailures_thenOneRemains_andItsNextAttemptTimeIsKept() {
    DayState twice = fresh.afterFailures(2, now, Failure.abandoned(2), policy);

    DayState refunded = twice.withoutAbandonedCharge(policy);

    assertThat(refunded.consecutiveFailures()).isEqualTo(1);
    assertThat(refunded.nextAttemptAt()).isEqualTo(twice.nextAttemptAt());
  }

  @Test
  void givenAPermanentFailureReachedByTheAbandonment_thenTheDayIsRetriedAgain() {
    DayState exhausted = fresh.afterFailures(3, now, Failure.abandoned(3), policy);
    assertThat(exhausted.isPermanentlyFailed()).isTrue();

    DayState refunded = exhausted.withoutAbandonedCharge(policy);

    assertThat(refunded.consecutiveFailures()).isEqualTo(2);
    assertThat(refunded.isPermanentlyFailed()).isFalse();
    assertThat(refunded.nextAttemptAt()).isEqualTo(now.plus(Duration.ofHours(1)));
  }

  @Test
  void givenFailuresBeyondTheLimit_thenStillPermanentAfterOneIsWithdrawn() {
    DayState beyond = fresh.afterFailures(5, now, Failure.abandoned(5), policy);

    DayState refunded = beyond.withoutAbandonedCharge(policy);

    assertThat(refunded.consecutiveFailures()).isEqualTo(4);
    assertThat(refunded.isPermanentlyFailed()).isTrue();
    assertThat(refunded.permanentlyFailedAt()).isEqualTo(now);
    assertThat(refunded.nextAttemptAt()).isNull();
  }
}
