package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The retry state of a day ({@code day_states}): consecutive failed attempts, the last error, when
 * it may be tried next, and the last success. A day with no row has the {@link #fresh} state.
 */
public record DayState(
    LocalDate day,
    int consecutiveFailures,
    String lastErrorClass,
    String lastError,
    Instant lastFailureAt,
    Instant nextAttemptAt,
    Instant permanentlyFailedAt,
    Instant lastSuccessAt) {

  public static DayState fresh(LocalDate day) {
    return new DayState(day, 0, null, null, null, null, null, null);
  }

  public boolean isPermanentlyFailed() {
    return permanentlyFailedAt != null;
  }

  public boolean hasFailures() {
    return consecutiveFailures > 0;
  }

  /** The number of the next attempt (1 for a day that has not failed since its last success). */
  public int nextAttemptNumber() {
    return consecutiveFailures + 1;
  }

  public DayState afterSuccess(Instant now) {
    return new DayState(day, 0, null, null, lastFailureAt, null, null, now);
  }

  public DayState afterFailure(Instant now, Failure failure, RetryPolicy policy) {
    return afterFailures(1, now, failure, policy);
  }

  /**
   * An attempt counted as abandoned came back after all (it was paused past its lease, not dead):
   * the charge for it is withdrawn.
   */
  public DayState withoutAbandonedCharge(RetryPolicy policy) {
    if (consecutiveFailures == 0) {
      return this;
    }
    int failures = consecutiveFailures - 1;
    boolean exhausted = policy.isExhausted(failures);
    Instant next = null;
    if (!exhausted && failures > 0) {
      next =
          nextAttemptAt != null
              ? nextAttemptAt
              : policy.nextScheduledAttempt(lastFailureAt, failures);
    }
    return new DayState(
        day,
        failures,
        lastErrorClass,
        lastError,
        lastFailureAt,
        next,
        exhausted ? permanentlyFailedAt : null,
        lastSuccessAt);
  }

  /** After {@code count} failed attempts at once (attempts found abandoned). */
  public DayState afterFailures(int count, Instant now, Failure failure, RetryPolicy policy) {
    int failures = consecutiveFailures + count;
    boolean exhausted = policy.isExhausted(failures);
    return new DayState(
        day,
        failures,
        failure.errorClass(),
        failure.message(),
        now,
        exhausted ? null : policy.nextScheduledAttempt(now, failures),
        exhausted ? now : null,
        lastSuccessAt);
  }
}
