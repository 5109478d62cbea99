package com.helix.aggregation.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Retries an operation on {@link TransientFailureException} with capped exponential backoff and
 * jitter (SPEC §6) for as long as the policy's transient budget allows (a database failover takes
 * up to about two minutes), never past the run's deadline; any other error passes through at once.
 * When the budget is spent the environment is declared unavailable ({@link
 * EnvironmentUnavailableException}): an error of the environment, not of a day.
 */
public final class TransientRetry {
  private final RetryPolicy policy;
  private final StopSignal stop;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final Clock clock;

  /**
   * @param stop a run's stop request ends the retries of its work (not of its bookkeeping)
   * @param sleeper waits between tries; the stop signal itself in production
   */
  public TransientRetry(
      RetryPolicy policy, StopSignal stop, Sleeper sleeper, RandomGenerator random, Clock clock) {
    this.policy = policy;
    this.stop = stop;
    this.sleeper = sleeper;
    this.random = random;
    this.clock = clock;
  }

  /** Retries a step of the run's work; a stop request ends it ({@link RunInterruptedException}). */
  public <T> T call(Supplier<T> operation, Deadline deadline) {
    return retry(operation, deadline, true);
  }

  /** Retries a step of the run's work that has no deadline but the transient budget. */
  public <T> T call(Supplier<T> operation) {
    return retry(operation, Deadline.NONE, true);
  }

  /**
   * Retries bookkeeping that must be written even while the run stops (how an attempt ended, a
   * lease release): a stop request does not end it, the budget does.
   */
  public <T> T record(Supplier<T> operation) {
    return retry(operation, Deadline.NONE, false);
  }

  private <T> T retry(Supplier<T> operation, Deadline deadline, boolean stoppable) {
    Instant giveUp = clock.instant().plus(policy.transientBudget());
    if (giveUp.isAfter(deadline.at())) {
      giveUp = deadline.at();
    }
    for (int attempt = 1; ; attempt++) {
      if (stoppable) {
        stop.check();
      }
      try {
        return operation.get();
      } catch (TransientFailureException e) {
        Duration delay = policy.transientDelay(attempt + 1, random);
        Instant now = clock.instant();
        if (!now.plus(delay).isBefore(giveUp)) {
          throw new EnvironmentUnavailableException(
              e.getMessage()
                  + " (still failing after "
                  + attempt
                  + " tries over "
                  + Duration.between(giveUp.minus(policy.transientBudget()), now).toSeconds()
                  + " s)",
              e);
        }
        // Bookkeeping waits out a stop request: the stop signal's own waits would end at once.
        (stoppable || !(sleeper instanceof StopSignal) ? sleeper : Sleeper.SYSTEM).sleep(delay);
      }
    }
  }
}
