package com.helix.aggregation.core;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Retries an operation on {@link TransientFailureException} with capped exponential backoff and
 * jitter (SPEC §6); any other error passes through at once.
 */
public final class TransientRetry {
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  public TransientRetry(RetryPolicy policy, Sleeper sleeper, RandomGenerator random) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.random = random;
  }

  public <T> T call(Supplier<T> operation) {
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.get();
      } catch (TransientFailureException e) {
        if (attempt >= policy.transientTries()) {
          throw e;
        }
        sleeper.sleep(policy.transientDelay(attempt + 1, random));
      }
    }
  }
}
