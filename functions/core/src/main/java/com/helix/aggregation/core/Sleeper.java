package com.helix.aggregation.core;

import java.time.Duration;

/** Waits; a port so that tests of retry and throttling need not wait. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM =
      duration -> {
        try {
          Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting", e);
        }
      };

  void sleep(Duration duration);
}
