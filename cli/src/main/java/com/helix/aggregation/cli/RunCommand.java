package com.helix.aggregation.cli;

import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.Trigger;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code helix run}: aggregate one UTC day now, under its lease, verified, recorded. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Aggregate one UTC day (default: yesterday) and verify it.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Mixin DayOption date;

  @Option(names = "--force", description = "Recompute even when the raw data is unchanged.")
  boolean force;

  @Option(
      names = "--include-today",
      description = "Allow today (UTC), stored as a partial aggregate.")
  boolean includeToday;

  @Override
  public Integer call() {
    LocalDate day = date.day(cli.clock);
    RunOptions options = new RunOptions(force, includeToday);
    AggregateDayService.checkDay(day, options, cli.clock);
    try (Session session = Session.open(cli, database, false)) {
      AttemptReport report =
          session
              .wiring
              .aggregateDayService(Metrics.NONE, JobLog.NONE)
              .runDay(day, Trigger.MANUAL, options, "cli-" + UUID.randomUUID(), Deadline.NONE);
      cli.out.println(report.summary());
      if (report.outcome() == Outcome.INTERRUPTED) {
        return Interrupts.exitCode(cli.stop);
      }
      return report.outcome().isFailure() ? CliErrors.FAILURE : CliErrors.OK;
    }
  }
}
