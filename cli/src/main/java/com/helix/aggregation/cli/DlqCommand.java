package com.helix.aggregation.cli;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.queue.DeadLetter;
import com.helix.aggregation.core.queue.DeadLetterService;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code helix dlq}: the backfill's dead-letter queue. {@code list} shows each dead letter (day,
 * request, reason, attempts) and leaves the queue as it was; {@code redrive} resets the days'
 * failures, sends them back to the backfill queue as a new request, and deletes each from the
 * dead-letter queue only after its send succeeded. Poison messages are listed, never redriven.
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "The backfill's dead-letter queue (HELIX_BACKFILL_DLQ_URL).",
    subcommands = {DlqCommand.ListCommand.class, DlqCommand.RedriveCommand.class})
final class DlqCommand {
  @ParentCommand HelixCommand cli;

  /** Checks that both queues are configured. */
  static void requireQueues(HelixCommand cli) {
    HelixConfig config = HelixConfig.fromEnvironment(cli.env);
    if (config.backfillDlqUrl().isEmpty()) {
      throw new UsageException(HelixConfig.BACKFILL_DLQ_URL + " is not set");
    }
    if (config.backfillQueueUrl().isEmpty()) {
      throw new UsageException(HelixConfig.BACKFILL_QUEUE_URL + " is not set");
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the dead letters: day, request, reason, attempts.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand DlqCommand dlq;
    @Mixin DatabaseOptions database;

    @Override
    public Integer call() {
      requireQueues(dlq.cli);
      try (Session session = Session.open(dlq.cli, database, false)) {
        List<DeadLetter> letters = session.helix.deadLetters().list();
        print(dlq.cli, letters);
        dlq.cli.out.printf(
            "%d dead letter(s) in %s%n",
            letters.size(), session.config.backfillDlqUrl().orElseThrow());
        return CliErrors.OK;
      }
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description =
          "Reset the dead-lettered days' failures and send them back to the backfill queue (only"
              + " --day's, when given); each leaves the dead-letter queue after its send.")
  static final class RedriveCommand implements Callable<Integer> {
    @ParentCommand DlqCommand dlq;
    @Mixin DatabaseOptions database;

    @Option(names = "--day", paramLabel = "DAY", description = "Only this UTC day.")
    LocalDate day;

    @Override
    public Integer call() {
      requireQueues(dlq.cli);
      try (Session session = Session.open(dlq.cli, database, false)) {
        DeadLetterService.Redrive redrive =
            session.helix.deadLetters().redrive(Optional.ofNullable(day));
        if (redrive.requestId().isEmpty()) {
          dlq.cli.out.println("Nothing to redrive" + (day == null ? "" : " for " + day) + ".");
        } else {
          dlq.cli.out.printf(
              "Redrove %d day(s) %s as backfill %s.%nFollow it: helix backfill --follow %s%n",
              redrive.days().size(),
              redrive.days(),
              redrive.requestId().get(),
              redrive.requestId().get());
        }
        if (!redrive.leftBehind().isEmpty()) {
          dlq.cli.out.printf("Left in the dead-letter queue:%n");
          print(dlq.cli, redrive.leftBehind());
        }
        return CliErrors.OK;
      }
    }
  }

  private static void print(HelixCommand cli, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    cli.out.printf("  %-10s  %-44s  %8s  %s%n", "DAY", "REQUEST", "ATTEMPTS", "REASON");
    for (DeadLetter letter : letters) {
      cli.out.printf(
          "  %-10s  %-44s  %8d  %s%n",
          letter.day().map(LocalDate::toString).orElse("(poison)"),
          letter.requestId().orElse("-"),
          letter.attempts(),
          oneLine(letter.reason()));
    }
  }

  private static String oneLine(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }
}
