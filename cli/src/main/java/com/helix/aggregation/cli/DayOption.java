package com.helix.aggregation.cli;

import com.helix.aggregation.core.UtcDay;
import java.time.Clock;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** {@code --date DAY} of the commands that work on one day; yesterday (UTC) when omitted. */
final class DayOption {
  @Option(
      names = "--date",
      paramLabel = "DAY",
      description = "The UTC day: yyyy-MM-dd, today or yesterday (default: yesterday).")
  LocalDate date;

  LocalDate day(Clock clock) {
    return date != null ? date : UtcDay.today(clock).minusDays(1);
  }
}
