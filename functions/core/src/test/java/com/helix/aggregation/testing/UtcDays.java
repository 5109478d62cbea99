package com.helix.aggregation.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Yesterday for tests that run the real clock's schedule: a test that reads the date, then runs for
 * a while, must not see the UTC day change under it (a build may run at any hour).
 */
public final class UtcDays {
  private UtcDays() {}

  /**
   * The UTC day before today, once at least {@code runFor} is left of today: closer to midnight, it
   * first waits for the next day to begin.
   */
  public static LocalDate yesterdayForAtLeast(Duration runFor) {
    Instant now = Instant.now();
    Instant midnight =
        LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    if (Duration.between(now, midnight).compareTo(runFor) < 0) {
      sleep(Duration.between(now, midnight).plusSeconds(1));
    }
    return LocalDate.now(ZoneOffset.UTC).minusDays(1);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next UTC day", e);
    }
  }
}
