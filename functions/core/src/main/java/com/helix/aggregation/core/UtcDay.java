package com.helix.aggregation.core;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The day of SPEC §2: the half-open UTC interval {@code [D 00:00Z, D+1 00:00Z)}. Nothing here reads
 * the JVM's or the database session's time zone.
 */
public final class UtcDay {
  private UtcDay() {}

  public static Instant start(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The exclusive end: the first instant of the next day. */
  public static Instant end(LocalDate day) {
    return start(day.plusDays(1));
  }

  /** The current UTC date. */
  public static LocalDate today(Clock clock) {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** A day is complete once it has ended. */
  public static boolean isComplete(LocalDate day, Instant now) {
    return !now.isBefore(end(day));
  }
}
