package com.helix.aggregation.cli;

import com.helix.aggregation.postgres.DatabaseSetupException;
import com.helix.aggregation.postgres.PostgresChangeLog;
import com.helix.aggregation.postgres.RawTableCheck;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code helix track-changes}: the opt-in change tracking of SPEC §3. {@code enable} puts the
 * triggers on the raw table (run by its owner), {@code disable} takes them off and drops the log,
 * {@code status} says whether tracking is on and which days are dirty.
 */
@Command(
    name = "track-changes",
    mixinStandardHelpOptions = true,
    description =
        "Opt-in change tracking: triggers on the raw table log the days that writes touch, so"
            + " late data of any age is re-aggregated by the next run and a clean day is"
            + " confirmed without a scan.",
    subcommands = {
      TrackChangesCommand.Enable.class,
      TrackChangesCommand.Disable.class,
      TrackChangesCommand.Status.class
    })
final class TrackChangesCommand {
  @ParentCommand HelixCommand cli;

  /** Changing triggers needs the raw table's owner: a refusal says so. */
  private static void asOwner(String what, Session session, Runnable change) {
    try {
      change.run();
    } catch (DatabaseSetupException e) {
      throw new DatabaseSetupException(
          "cannot "
              + what
              + " change tracking on "
              + session.config.rawTable()
              + " (run it as the table's owner): "
              + e.getMessage(),
          e);
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description =
          "Put the triggers on the raw table (as its owner). Re-runnable. Days verified before"
              + " now are hashed once more before they are trusted.")
  static final class Enable implements Callable<Integer> {
    @ParentCommand TrackChangesCommand parent;
    @Mixin DatabaseOptions database;

    @Override
    public Integer call() {
      try (Session session = Session.open(parent.cli, database, false)) {
        List<String> problems =
            new RawTableCheck(session.wiring.database(), session.config.rawTable()).problems();
        if (!problems.isEmpty()) {
          throw new UsageException("cannot track changes: " + String.join("; ", problems));
        }
        PostgresChangeLog changes = session.wiring.changes();
        asOwner("enable", session, changes::enable);
        parent.cli.out.println(
            "Change tracking is on for "
                + session.config.rawTable()
                + " since "
                + changes.status().enabledAt().orElseThrow()
                + " ("
                + session.describe()
                + ")");
        return CliErrors.OK;
      }
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Take the triggers off the raw table and drop the log; runs hash again.")
  static final class Disable implements Callable<Integer> {
    @ParentCommand TrackChangesCommand parent;
    @Mixin DatabaseOptions database;

    @Override
    public Integer call() {
      try (Session session = Session.open(parent.cli, database, false)) {
        asOwner("disable", session, session.wiring.changes()::disable);
        parent.cli.out.println(
            "Change tracking is off for "
                + session.config.rawTable()
                + "; every run hashes its days again");
        return CliErrors.OK;
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Whether tracking is on, since when, and the days waiting for a run.")
  static final class Status implements Callable<Integer> {
    @ParentCommand TrackChangesCommand parent;
    @Mixin DatabaseOptions database;

    @Override
    public Integer call() {
      try (Session session = Session.open(parent.cli, database, false)) {
        PostgresChangeLog.Status status = session.wiring.changes().status();
        if (status.enabledAt().isEmpty()) {
          parent.cli.out.println("Change tracking is off for " + session.config.rawTable());
          return CliErrors.OK;
        }
        if (!status.complete()) {
          parent.cli.out.println(
              "Change tracking is BROKEN for "
                  + session.config.rawTable()
                  + ": "
                  + status.triggers()
                  + " of "
                  + status.neededTriggers()
                  + " triggers in place (a new partition gets its own by enabling again); runs"
                  + " hash every day until 'helix track-changes enable' is run again");
          return CliErrors.FAILURE;
        }
        parent.cli.out.println(
            "Change tracking is on for "
                + session.config.rawTable()
                + " since "
                + status.enabledAt().get()
                + ": "
                + status.dirtyDays().size()
                + " dirty day(s), "
                + status.pendingEntries()
                + " log entries"
                + (status.dirtyDays().isEmpty() ? "" : ": " + describe(status.dirtyDays())));
        return CliErrors.OK;
      }
    }

    private static String describe(List<LocalDate> days) {
      String shown =
          days.stream().limit(20).map(LocalDate::toString).collect(Collectors.joining(" "));
      return days.size() > 20 ? shown + " ..." : shown;
    }
  }
}
