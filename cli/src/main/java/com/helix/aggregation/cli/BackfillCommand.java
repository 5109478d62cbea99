package com.helix.aggregation.cli;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.BackfillProgress;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.BackfillService;
import com.helix.aggregation.core.BackfillSummary;
import com.helix.aggregation.core.DayRange;
import com.helix.aggregation.core.DayStatus;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.PlannedDay;
import com.helix.aggregation.core.queue.QueuedBackfillService;
import com.helix.aggregation.core.queue.RequestDayStatus;
import com.helix.aggregation.core.queue.RequestProgress;
import java.time.Duration;
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
 * {@code helix backfill}: aggregate a range of UTC days, throttled, one at a time: through the
 * backfill queue and its worker when {@code HELIX_BACKFILL_QUEUE_URL} is set (followed with {@code
 * --wait} or {@code --follow}, stopped with {@code --cancel}), or in this process with {@code
 * --local}. Every bad input is refused before anything is written.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description =
        "Aggregate an inclusive range of UTC days, oldest first, throttled (HELIX_BATCH_SIZE days"
            + " per batch, HELIX_BATCH_DELAY_MS between batches), one day at a time: through the"
            + " backfill queue when HELIX_BACKFILL_QUEUE_URL is set, else in this process with"
            + " --local. Exit 0 when every day ended aggregated or unchanged, 1 if any did not.")
final class BackfillCommand implements Callable<Integer> {
  private static final Duration FOLLOW_POLL = Duration.ofSeconds(2);

  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Option(
      names = "--from",
      paramLabel = "DAY",
      description = "First UTC day: yyyy-MM-dd, today or yesterday.")
  LocalDate from;

  @Option(
      names = "--to",
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
      description = "Run in this process against the configured database, not through the queue.")
  boolean local;

  @Option(
      names = "--wait",
      description = "After sending the days to the queue, follow the request to its end.")
  boolean waitForIt;

  @Option(
      names = "--follow",
      paramLabel = "REQUEST",
      description = "Follow a queued request to its end (done / total, rate, ETA).")
  String follow;

  @Option(
      names = "--cancel",
      paramLabel = "REQUEST",
      description = "Cancel a queued request: the worker acknowledges its remaining days unrun.")
  String cancel;

  @Override
  public Integer call() {
    if (follow != null || cancel != null) {
      return request(follow != null ? follow : cancel, follow != null);
    }
    if (from == null || to == null) {
      throw new UsageException(
          "--from and --to are required (or --follow REQUEST / --cancel REQUEST)");
    }
    BackfillRequest request =
        new BackfillRequest(
            new DayRange(from, to),
            includeToday,
            force,
            retryFailed,
            "backfill-" + UUID.randomUUID());
    request.check(cli.clock);
    HelixConfig config = HelixConfig.fromEnvironment(cli.env);
    boolean queued = !local && !dryRun;
    if (queued && config.backfillQueueUrl().isEmpty()) {
      throw new UsageException(
          HelixConfig.BACKFILL_QUEUE_URL
              + " is not set: pass --local to run the backfill in this process");
    }
    if (waitForIt && !queued) {
      throw new UsageException(
          "--wait follows a queued backfill; a --local one is followed anyway");
    }
    try (Session session = Session.open(cli, database, false)) {
      if (queued) {
        return submit(session, request);
      }
      BackfillService backfill = session.wiring.backfillService(Metrics.NONE, JobLog.NONE);
      BackfillProgressDisplay display = BackfillProgressDisplay.forConsole(cli.out, dryRun, "");
      if (dryRun) {
        return dryRun(backfill, request, display);
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

  /** Sends the days to the queue; follows them with --wait. */
  private int submit(Session session, BackfillRequest request) {
    QueuedBackfillService queue = session.helix.queuedBackfills();
    int days = queue.submit(request, QueuedBackfillService.FROM_CLI);
    cli.out.printf(
        "Backfill %s: %d day(s) %s..%s sent to %s.%n",
        request.requestId(),
        days,
        request.range().from(),
        request.range().to(),
        session.helix.queue().describe());
    if (!waitForIt) {
      cli.out.printf(
          "Follow it: helix backfill --follow %s%nCancel it: helix backfill --cancel %s%n",
          request.requestId(), request.requestId());
      return CliErrors.OK;
    }
    return followed(session, request.requestId());
  }

  /** --follow or --cancel of a request. */
  private int request(String requestId, boolean following) {
    if (follow != null && cancel != null) {
      throw new UsageException("--follow and --cancel cannot be used together");
    }
    if (from != null
        || to != null
        || local
        || dryRun
        || waitForIt
        || force
        || includeToday
        || retryFailed) {
      throw new UsageException(
          (following ? "--follow" : "--cancel") + " takes a request id and no other option");
    }
    try (Session session = Session.open(cli, database, false)) {
      if (following) {
        return followed(session, requestId);
      }
      int left =
          session
              .helix
              .queuedBackfills()
              .cancel(requestId)
              .orElseThrow(() -> new UsageException("no backfill request " + requestId));
      cli.out.printf(
          "Cancelled %s: %d day(s) not yet run will be acknowledged without running.%n",
          requestId, left);
      return CliErrors.OK;
    }
  }

  /** Follows a queued request with the local backfill's progress display; its exit code. */
  private int followed(Session session, String requestId) {
    BackfillProgressDisplay display = BackfillProgressDisplay.forConsole(cli.out, false, "");
    RequestProgress last =
        session
            .helix
            .queuedBackfills()
            .follow(
                requestId,
                FOLLOW_POLL,
                p ->
                    display.batchFinished(
                        new BackfillProgress(
                            p.finished(),
                            p.finished() - p.succeeded(),
                            p.days(),
                            Duration.between(p.submittedAt(), cli.clock.instant()))))
            .orElseThrow(() -> new UsageException("no backfill request " + requestId));
    display.finish();
    cli.out.println(describe(last));
    return last.isSuccess() ? CliErrors.OK : CliErrors.FAILURE;
  }

  private int dryRun(
      BackfillService backfill, BackfillRequest request, BackfillProgressDisplay display) {
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

  private static String describe(RequestProgress progress) {
    StringBuilder text =
        new StringBuilder(
            "Backfill "
                + progress.requestId()
                + " of "
                + progress.from()
                + ".."
                + progress.to()
                + ": ");
    text.append(
        progress.counts().entrySet().stream()
            .filter(e -> e.getKey() != RequestDayStatus.QUEUED)
            .map(e -> e.getValue() + " " + e.getKey().value())
            .collect(Collectors.joining(", ")));
    progress.cancelledAt().ifPresent(at -> text.append(String.format("%nCancelled at %s.", at)));
    progress
        .notSucceeded()
        .forEach(
            (day, status) ->
                text.append(String.format("%nNot aggregated: %s: %s", day, status.value())));
    if (progress.count(RequestDayStatus.PERMANENTLY_FAILED) > 0) {
      text.append(
          String.format(
              "%nFix the cause, then: helix dlq redrive (or helix backfill --from %s --to %s"
                  + " --retry-failed)",
              progress.from(), progress.to()));
    }
    return text.toString();
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
