package com.helix.aggregation.cli;

import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.core.VerificationReport;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code helix verify}: check a stored aggregate against the raw table again. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Verify the stored aggregate of a UTC day against an independent read of the raw table;"
            + " marks it verified or unverified (exit 1 when it does not match).")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Mixin DayOption date;

  @Override
  public Integer call() {
    LocalDate day = date.day(cli.clock);
    LocalDate today = UtcDay.today(cli.clock);
    if (day.isAfter(today)) {
      throw new UsageException(
          "day " + day + " is in the future (today is " + today + " UTC): nothing to verify");
    }
    try (Session session = Session.open(cli, database, false)) {
      if (session.wiring.store().find(day).isEmpty()) {
        throw new IllegalStateException(
            "no aggregate stored for "
                + day
                + ": run `helix run --date "
                + day
                + (day.equals(today) ? " --include-today" : "")
                + "` first");
      }
      VerificationReport report =
          session.wiring.store().verify(day, session.config.verifyTolerance());
      cli.out.println(report.describe());
      return report.passed() ? CliErrors.OK : CliErrors.FAILURE;
    }
  }
}
