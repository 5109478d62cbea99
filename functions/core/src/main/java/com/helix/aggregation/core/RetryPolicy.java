package com.helix.aggregation.core;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * The retry rules of SPEC §6.
 *
 * @param maxAttempts failed attempts after which a day is permanently failed
 * @param scheduledBackoff delay before the hourly run retries a day after its first failure;
 *     doubles with every further failure
 * @param scheduledBackoffCap the longest such delay
 * @param backfillBackoff delay before a backfill retries a failed day within the same run; doubles
 *     with every further failure
 * @param transientBudget how long one operation inside an attempt is retried on transient errors
 *     (connection loss, failover, throttling) before the environment is declared unavailable: long
 *     enough to ride out a managed database failover (about two minutes), and never past the run's
 *     deadline
 * @param transientBackoff first delay between such tries; doubles, with full jitter
 * @param transientBackoffCap the longest such delay
 */
public record RetryPolicy(
    int maxAttempts,
    Duration scheduledBackoff,
    Duration scheduledBackoffCap,
    Duration backfillBackoff,
    Duration transientBudget,
    Duration transientBackoff,
    Duration transientBackoffCap) {

  /** Covers a managed database failover (tens of seconds to two minutes) with room to spare. */
  public static final Duration DEFAULT_TRANSIENT_BUDGET = Duration.ofSeconds(150);

  public static RetryPolicy defaults(int maxAttempts) {
    return defaults(maxAttempts, DEFAULT_TRANSIENT_BUDGET);
  }

  public static RetryPolicy defaults(int maxAttempts, Duration transientBudget) {
    return new RetryPolicy(
        maxAttempts,
        Duration.ofMinutes(30),
        Duration.ofHours(6),
        Duration.ofSeconds(1),
        transientBudget,
        Duration.ofMillis(200),
        Duration.ofSeconds(5));
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (transientBudget.isNegative()) {
      throw new IllegalArgumentException("transientBudget must not be negative");
    }
  }

  /** Whether the given number of consecutive failures makes a day permanently failed. */
  public boolean isExhausted(int consecutiveFailures) {
    return consecutiveFailures >= maxAttempts;
  }

  /** When a scheduled run may retry a day that has failed {@code failures} times in a row. */
  public Instant nextScheduledAttempt(Instant now, int failures) {
    return now.plus(doubled(scheduledBackoff, failures, scheduledBackoffCap));
  }

  /** How long a backfill waits before its next try of a day that failed {@code failures} times. */
  public Duration backfillDelay(int failures) {
    return doubled(backfillBackoff, failures, Duration.ofMinutes(1));
  }

  /** Capped exponential backoff with full jitter before try {@code nextTry} (2, 3, ...). */
  public Duration transientDelay(int nextTry, RandomGenerator random) {
    long capped = doubled(transientBackoff, nextTry - 1, transientBackoffCap).toMillis();
    return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
  }

  private static Duration doubled(Duration base, int times, Duration cap) {
    Duration delay = base;
    for (int i = 1; i < times && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
