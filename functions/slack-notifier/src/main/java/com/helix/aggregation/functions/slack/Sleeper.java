package com.helix.aggregation.functions.slack;

import java.time.Duration;

/** Waits between delivery attempts; a port so that retry tests need not wait. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM =
      duration -> {
        try {
          Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting to retry Slack", e);
        }
      };

  void sleep(Duration duration);
}
