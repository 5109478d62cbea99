package com.helix.aggregation.core;

import java.time.Duration;

/**
 * Waits; a port so that tests of retry and throttling need not wait. A run's waits go through its
 * {@link StopSignal}, which ends them when the run is asked to stop.
 */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM =
      duration -> {
        try {
          Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RunInterruptedException("interrupted while waiting");
        }
      };

  void sleep(Duration duration);
}
