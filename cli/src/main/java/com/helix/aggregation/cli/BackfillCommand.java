package com.helix.aggregation.cli;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.BackfillService;
import com.helix.aggregation.core.BackfillSummary;
import com.helix.aggregation.core.DayRange;
import com.helix.aggregation.core.DayStatus;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.PlannedDay;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code helix backfill}: aggregate a range of UTC days, throttled, one at a time, in this process
 * ({@code --local}). Every bad input is refused before anything is written.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description =
        "Aggregate an inclusive range of UTC days, oldest first, throttled (HELIX_BATCH_SIZE days"
            + " per batch, HELIX_BATCH_DELAY_MS between batches); one backfill at a time. Exit 0"
            + " when every day ended aggregated or unchanged, 1 if any failed for good.")
final class BackfillCommand implements Callable<Integer> {
  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DAY",
      description = "First UTC day: yyyy-MM-dd, today or yesterday.")
  LocalDate from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DAY",
      description = "Last UTC day (inclusive): yyyy-MM-dd, today or yesterday.")
  LocalDate to;

  @Option(
      names = "--include-today",
      description = "Allow --to today; that day is stored as a partial aggregate.")
  boolean includeToday;

  @Option(
      names = "--dry-run",
      description =
          "Print each day's state (missing, changed, unchanged, unverified, partial, failed,"
              + " permanently failed) at the same throttle, and write nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Recompute days even when their raw data is unchanged.")
  boolean force;

  @Option(
      names = "--retry-failed",
      description = "Reset the range's permanently failed days and run them again.")
  boolean retryFailed;

  @Option(
      names = "--local",
      description =
          "Run in this process against the configured database (needed until the queue mode).")
  boolean local;

  @Override
  public Integer call() {
    BackfillRequest request =
        new BackfillRequest(
            new DayRange(from, to),
            includeToday,
            force,
            retryFailed,
            "backfill-" + UUID.randomUUID());
    request.check(cli.clock);
    HelixConfig config = HelixConfig.fromEnvironment(cli.env);
    if (!local && !dryRun) {
      throw new UsageException(
          config.backfillQueueUrl().isEmpty()
              ? HelixConfig.BACKFILL_QUEUE_URL
                  + " is not set: pass --local to run the backfill in this process"
              : "the queue-driven backfill is not part of this build yet: pass --local");
    }
    try (Session session = Session.open(cli, database, false)) {
      BackfillService backfill = session.wiring.backfillService(Metrics.NONE, JobLog.NONE);
      BackfillProgressDisplay display = BackfillProgressDisplay.forConsole(cli.out, dryRun, "");
      if (dryRun) {
        List<PlannedDay> plan = backfill.dryRun(request, display);
        display.finish();
        Map<DayStatus, Long> counts =
            plan.stream()
                .collect(
                    Collectors.groupingBy(
                        PlannedDay::status,
                        () -> new EnumMap<>(DayStatus.class),
                        Collectors.counting()));
        cli.out.println(
            "Dry run of "
                + request.range()
                + ": "
                + counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().label())
                    .collect(Collectors.joining(", "))
                + ". Nothing was written.");
        return CliErrors.OK;
      }
      BackfillSummary summary = backfill.run(request, display);
      display.finish();
      cli.out.println(describe(request, summary));
      if (summary.interrupted()) {
        return Interrupts.exitCode(cli.stop);
      }
      return summary.succeeded() ? CliErrors.OK : CliErrors.FAILURE;
    }
  }

  private static String describe(BackfillRequest request, BackfillSummary summary) {
    StringBuilder text = new StringBuilder("Backfill of " + request.range() + ": ");
    text.append(
        summary.outcomes().entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().value())
            .collect(Collectors.joining(", ")));
    if (summary.outcomes().isEmpty()) {
      text.append("nothing ran");
    }
    text.append(
        String.format(
            " in %.1f s (%.1f s of it in pauses between batches)",
            summary.elapsed().toMillis() / 1000.0, summary.pauses().toMillis() / 1000.0));
    if (!summary.failedForGood().isEmpty()) {
      text.append(
          String.format(
              "%nFailed for good: %s%nFix the cause, then: helix backfill --from %s --to %s"
                  + " --retry-failed --local",
              summary.failedForGood(), request.range().from(), request.range().to()));
    }
    summary
        .unfinished()
        .forEach(
            (day, reason) -> text.append(String.format("%nNot finished: %s: %s", day, reason)));
    summary
        .stoppedBy()
        .ifPresent(
            why ->
                text.append(
                    String.format(
                        "%nStopped early: %s%nNo day was charged for it; run the same command"
                            + " again to finish the range (done days cost one unchanged check).",
                        why)));
    return text.toString();
  }
}
