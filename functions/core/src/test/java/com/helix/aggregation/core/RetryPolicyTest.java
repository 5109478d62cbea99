package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = RetryPolicy.defaults(3);
  private final Instant now = Instant.parse("2026-11-28T00:05:00Z");

  @Test
  void givenThreeFailures_thenExhausted() {
    assertThat(policy.isExhausted(2)).isFalse();
    assertThat(policy.isExhausted(3)).isTrue();
  }

  @Test
  void givenScheduledFailures_thenTheNextAttemptDoublesUpToTheCap() {
    assertThat(policy.nextScheduledAttempt(now, 1)).isEqualTo(now.plus(Duration.ofMinutes(30)));
    assertThat(policy.nextScheduledAttempt(now, 2)).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(policy.nextScheduledAttempt(now, 3)).isEqualTo(now.plus(Duration.ofHours(2)));
    assertThat(policy.nextScheduledAttempt(now, 20)).isEqualTo(now.plus(Duration.ofHours(6)));
  }

  @Test
  void givenBackfillFailures_thenSecondsDoubling() {
    assertThat(policy.backfillDelay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backfillDelay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backfillDelay(3)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void givenTransientRetries_thenJitteredWithinHalfToFullOfTheCappedDelay() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      assertThat(policy.transientDelay(2, random))
          .isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
      assertThat(policy.transientDelay(3, random))
          .isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(policy.transientDelay(30, random))
          .isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
    }
  }

  @Test
  void givenADayState_thenFailuresCountUpToPermanentAndSuccessResets() {
    Failure failure = new Failure("SQLException", "boom", "SQLException: boom", true);
    DayState state = DayState.fresh(java.time.LocalDate.of(2026, 11, 27));

    DayState once = state.afterFailure(now, failure, policy);
    DayState twice = once.afterFailure(now, failure, policy);
    DayState thrice = twice.afterFailure(now, failure, policy);

    assertThat(once.nextAttemptNumber()).isEqualTo(2);
    assertThat(once.nextAttemptAt()).isEqualTo(now.plus(Duration.ofMinutes(30)));
    assertThat(twice.isPermanentlyFailed()).isFalse();
    assertThat(thrice.isPermanentlyFailed()).isTrue();
    assertThat(thrice.nextAttemptAt()).isNull();
    assertThat(thrice.afterSuccess(now).consecutiveFailures()).isZero();
    assertThat(thrice.afterSuccess(now).isPermanentlyFailed()).isFalse();
  }
}
