package com.helix.aggregation.core.schedule;

import com.helix.aggregation.core.InvalidDayException;
import com.helix.aggregation.core.UtcDay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One delivery of a schedule: which run, and the time it was scheduled for (not the time it
 * arrived: a delayed or retried delivery must still aggregate the right day).
 *
 * @param attempt the scheduler's delivery attempt, for the log (0 when unknown)
 */
public record ScheduledRun(Mode mode, Instant scheduledTime, int attempt) {
  /** No legitimate delivery is this late; replaying an old event must not rewrite history. */
  public static final Duration STALE_AFTER = Duration.ofHours(72);

  /** Clock skew allowed between the scheduler and this function. */
  public static final Duration EARLY_TOLERANCE = Duration.ofMinutes(5);

  /** The two schedules of the template. */
  public enum Mode {
    /** 00:05 UTC: yesterday inline, then the catch-up of the window. */
    DAILY("daily"),
    /** Every hour: failed days whose backoff has elapsed, and days still missing. */
    HOURLY("hourly");

    private final String value;

    Mode(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  public ScheduledRun {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(scheduledTime, "scheduledTime");
  }

  /** The run's target: the UTC day before its scheduled time. */
  public LocalDate targetDay() {
    return LocalDate.ofInstant(scheduledTime, java.time.ZoneOffset.UTC).minusDays(1);
  }

  /**
   * Refuses a delivery scheduled more than 72 hours ago (stale) or in the future.
   *
   * @throws InvalidDayException naming the problem; nothing is written
   */
  public void check(Clock clock) {
    Instant now = clock.instant();
    if (scheduledTime.isBefore(now.minus(STALE_AFTER))) {
      throw new InvalidDayException(
          "the scheduled time "
              + scheduledTime
              + " is more than 72 hours old: a stale or replayed delivery is refused (use"
              + " `helix backfill` to aggregate "
              + targetDay()
              + ")");
    }
    if (scheduledTime.isAfter(now.plus(EARLY_TOLERANCE))) {
      throw new InvalidDayException(
          "the scheduled time " + scheduledTime + " is in the future (now is " + now + ")");
    }
    if (!targetDay().isBefore(UtcDay.today(clock))) {
      throw new InvalidDayException("the target day " + targetDay() + " has not ended yet");
    }
  }
}
