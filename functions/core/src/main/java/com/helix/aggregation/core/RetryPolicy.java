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
 * @param transientTries tries of one operation inside an attempt on transient errors
 * @param transientBackoff first delay between such tries; doubles, with full jitter
 * @param transientBackoffCap the longest such delay
 */
public record RetryPolicy(
    int maxAttempts,
    Duration scheduledBackoff,
    Duration scheduledBackoffCap,
    Duration backfillBackoff,
    int transientTries,
    Duration transientBackoff,
    Duration transientBackoffCap) {

  public static RetryPolicy defaults(int maxAttempts) {
    return new RetryPolicy(
        maxAttempts,
        Duration.ofMinutes(30),
        Duration.ofHours(6),
        Duration.ofSeconds(1),
        4,
        Duration.ofMillis(200),
        Duration.ofSeconds(5));
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (transientTries < 1) {
      throw new IllegalArgumentException("transientTries must be at least 1");
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
