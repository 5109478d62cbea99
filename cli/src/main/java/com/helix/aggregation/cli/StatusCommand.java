package com.helix.aggregation.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code helix status}: freshness, the window's days, failures, older gaps, warnings. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show freshness, the last days, failed / permanently failed / unverified / partial days,"
            + " gaps older than the catch-up window, and raw-table warnings.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "Days to list, ending yesterday (default: HELIX_LOOKBACK_DAYS).")
  Integer days;

  @Override
  public Integer call() {
    if (days != null && (days < 1 || days > 3660)) {
      throw new UsageException("--days must be between 1 and 3660, got " + days);
    }
    try (Session session = Session.open(cli, database, false)) {
      cli.out.println("Database: " + session.describe());
      StatusReport.collect(session.wiring, days != null ? days : session.config.lookbackDays())
          .render(cli.out);
      return CliErrors.OK;
    }
  }
}
