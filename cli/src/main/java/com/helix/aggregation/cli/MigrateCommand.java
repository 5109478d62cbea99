package com.helix.aggregation.cli;

import com.helix.aggregation.postgres.RawTableCheck;
import com.helix.aggregation.postgres.SchemaMigrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code helix migrate}: bring the owned schema to this build's version, then check the raw table
 * (its {@code occurred_at} index is only a warning: the table is not ours).
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Create or upgrade the owned schema (re-runnable), then check the raw table and warn"
            + " when occurred_at has no index.")
final class MigrateCommand implements Callable<Integer> {
  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Override
  public Integer call() {
    try (Session session = Session.open(cli, database, true)) {
      // Reach the database first, so an unreachable one is reported in our words (Flyway's name a
      // user "null" and may print the URL).
      session.wiring.database().connection();
      int applied = session.migrateOwned();
      cli.out.println(
          "Schema "
              + session.config.schema()
              + " is at version "
              + SchemaMigrations.OWNED_VERSION
              + " ("
              + applied
              + " migration(s) applied) at "
              + session.describe());
      RawTableCheck check = new RawTableCheck(session.wiring.database(), session.config.rawTable());
      check.problems().forEach(p -> cli.out.println("warning: " + p));
      check.warnings().forEach(w -> cli.out.println("warning: " + w));
      return CliErrors.OK;
    }
  }
}
