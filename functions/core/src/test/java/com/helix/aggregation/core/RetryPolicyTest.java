package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;
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

  @Test
  void givenTooFewAttemptsOrTries_thenRefused_andOneOfEachIsEnough() {
    Duration s = Duration.ofSeconds(1);

    assertThat(new RetryPolicy(1, s, s, s, s, s, s).isExhausted(1)).isTrue();
    assertThatThrownBy(() -> new RetryPolicy(0, s, s, s, s, s, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be at least 1");
    assertThatThrownBy(() -> new RetryPolicy(1, s, s, s, s.negated(), s, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transientBudget must not be negative");
  }

  @Test
  void givenTheExtremesOfTheJitter_thenHalfAndAllOfTheCappedDelay() {
    assertThat(policy.transientDelay(2, jitter(false))).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.transientDelay(2, jitter(true))).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.transientDelay(3, jitter(true))).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.transientDelay(30, jitter(true))).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.transientDelay(30, jitter(false))).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void givenBackfillFailures_thenTheDelayIsCappedAtAMinute() {
    assertThat(policy.backfillDelay(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(policy.backfillDelay(7)).isEqualTo(Duration.ofMinutes(1));
    assertThat(policy.backfillDelay(60)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void givenFailuresFoundAtOnce_thenCountedTogether_andTheLastSuccessKept() {
    Failure abandoned = new Failure("AttemptAbandoned", "never finished", "never finished", true);
    Instant succeeded = now.minus(Duration.ofDays(1));
    DayState state = DayState.fresh(java.time.LocalDate.of(2026, 11, 27)).afterSuccess(succeeded);

    DayState after = state.afterFailures(2, now, abandoned, policy);

    assertThat(after.consecutiveFailures()).isEqualTo(2);
    assertThat(after.hasFailures()).isTrue();
    assertThat(after.lastErrorClass()).isEqualTo("AttemptAbandoned");
    assertThat(after.lastError()).isEqualTo("never finished");
    assertThat(after.lastFailureAt()).isEqualTo(now);
    assertThat(after.nextAttemptAt()).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(after.lastSuccessAt()).isEqualTo(succeeded);
    assertThat(after.afterFailures(1, now, abandoned, policy).permanentlyFailedAt()).isEqualTo(now);
    assertThat(state.hasFailures()).isFalse();
    assertThat(state.nextAttemptNumber()).isEqualTo(1);
  }

  /** A random source that always yields the smallest or the largest value asked for. */
  static RandomGenerator jitter(boolean largest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return largest ? bound - 1 : 0;
      }
    };
  }
}
