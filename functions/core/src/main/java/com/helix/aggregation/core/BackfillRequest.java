package com.helix.aggregation.core;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A backfill as asked for (SPEC §7).
 *
 * @param includeToday allow the current UTC day, stored as a partial aggregate
 * @param force recompute days even when their raw data is unchanged
 * @param retryFailed reset permanently failed days of the range and run them again
 * @param requestId identifies this backfill in every job run it records
 */
public record BackfillRequest(
    DayRange range, boolean includeToday, boolean force, boolean retryFailed, String requestId) {

  public BackfillRequest {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(requestId, "requestId");
  }

  /**
   * Rejects a range that reaches into the future, or today without {@code --include-today}, before
   * anything is written.
   *
   * @throws InvalidDayException naming the problem
   */
  public void check(Clock clock) {
    LocalDate today = UtcDay.today(clock);
    if (range.to().isAfter(today)) {
      throw new InvalidDayException(
          "--to " + range.to() + " is in the future (today is " + today + " UTC)");
    }
    if (range.to().equals(today) && !includeToday) {
      throw new InvalidDayException(
          "--to "
              + range.to()
              + " is today (UTC), which has not ended: pass --include-today to store it as a"
              + " partial aggregate");
    }
    if (range.to().isAfter(range.from().plusYears(10).minusDays(1))) {
      throw new InvalidDayException(
          "the range "
              + range
              + " spans "
              + range.size()
              + " days; a backfill covers at most 10 years");
    }
  }

  public RunOptions runOptions() {
    return new RunOptions(force, includeToday);
  }
}
