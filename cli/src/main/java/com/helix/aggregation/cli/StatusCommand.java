package com.helix.aggregation.cli;

import com.helix.aggregation.core.queue.QueueDepth;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** {@code helix status}: freshness, the window's days, failures, older gaps, warnings. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show freshness, the last days, failed / permanently failed / unverified / partial days,"
            + " gaps older than the catch-up window, and raw-table warnings; on AWS also the"
            + " backfill queue (HELIX_BACKFILL_QUEUE_URL) and the stack's alarms"
            + " (HELIX_ALARM_PREFIX).")
final class StatusCommand implements Callable<Integer> {
  /**
   * The backfill queue's depth and its dead letters; an unreachable queue is a line, not a failure.
   */
  private void renderQueue(Session session) {
    try {
      QueueDepth depth = session.helix.queue().depth();
      cli.out.printf(
          "Backfill queue: %d waiting, %d in flight; dead-letter queue: %d%s%n",
          depth.waiting(),
          depth.inFlight(),
          depth.deadLetters(),
          depth.deadLetters() > 0 ? " (helix dlq list, helix dlq redrive)" : "");
    } catch (RuntimeException e) {
      cli.out.println("Backfill queue: cannot be read: " + e.getMessage());
    }
  }

  /** The stack's alarms; CloudWatch that cannot be read is a line, not a failure. */
  private void renderAlarms(String prefix) {
    AlarmStates.render(
        prefix,
        () -> {
          try (CloudWatchClient cloudWatch = AlarmStates.standardClient()) {
            return AlarmStates.read(cloudWatch, prefix);
          }
        },
        cli.out);
  }

  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "Days to list, ending yesterday (default: HELIX_LOOKBACK_DAYS).")
  Integer days;

  @Option(
      names = "--alarm-prefix",
      paramLabel = "PREFIX",
      description =
          "Show the alarms whose names start with PREFIX, the stack's AlarmNamePrefix output"
              + " (default: HELIX_ALARM_PREFIX; unset: no alarms).")
  String alarmPrefix;

  @Override
  public Integer call() {
    if (days != null && (days < 1 || days > 3660)) {
      throw new UsageException("--days must be between 1 and 3660, got " + days);
    }
    try (Session session = Session.open(cli, database, false)) {
      cli.out.println("Database: " + session.describe());
      StatusReport.collect(session.wiring, days != null ? days : session.config.lookbackDays())
          .render(cli.out);
      if (session.config.backfillQueueUrl().isPresent()) {
        renderQueue(session);
      }
      String prefix = alarmPrefix != null ? alarmPrefix : cli.env.get(AlarmStates.PREFIX_VARIABLE);
      if (prefix != null && !prefix.isBlank()) {
        renderAlarms(prefix.strip());
      }
      return CliErrors.OK;
    }
  }
}
