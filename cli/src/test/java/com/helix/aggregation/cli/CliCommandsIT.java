package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.postgres.SchemaMigrations;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** run, verify, status and migrate against a real PostgreSQL. */
class CliCommandsIT {
  private TestDatabase db;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2026-01-05T10:00:00Z", "acct-1", "gpt-large", 10, 2, "1.25");
    db.insertRaw(2, "2026-01-05T23:59:59.999999Z", "acct-2", "gpt-small", 5, 1, "-0.25");
  }

  @Test
  void givenADay_whenRunTwice_thenAggregatedThenUnchanged() {
    CliRun first = CliRun.of(db.environment(), "run", "--date", "2026-01-05");
    CliRun second = CliRun.of(db.environment(), "run", "--date", "2026-01-05");

    assertThat(first.exitCode()).isZero();
    assertThat(first.out())
        .contains("2026-01-05 aggregated revision 1: 2 records, cost 1.00, tokens 15 in / 3 out")
        .contains("verified");
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).startsWith("2026-01-05 unchanged revision 1");
    assertThat(db.value("SELECT trigger FROM {schema}.job_runs ORDER BY id LIMIT 1"))
        .isEqualTo("manual");
  }

  @Test
  void givenToday_withIncludeToday_thenAPartialAggregate() {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    db.insertRaw(3, today + "T00:00:01Z", "acct-1", "gpt-large", 1, 1, "0.5");

    CliRun run = CliRun.of(db.environment(), "run", "--date", "today", "--include-today");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("(partial)");
    assertThat(db.value("SELECT complete FROM {schema}.daily_aggregates")).isEqualTo(false);
  }

  @Test
  void givenACorruptedTotal_whenVerified_thenExitOneWithBothFigures_andRunHealsIt() {
    CliRun.of(db.environment(), "run", "--date", "2026-01-05");
    db.execute("UPDATE {schema}.daily_aggregates SET cost_total = 99");

    CliRun verify = CliRun.of(db.environment(), "verify", "--date", "2026-01-05");

    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out())
        .contains("stored [2 records, cost 99")
        .contains("raw table has [2 records, cost 1.00");
    CliRun healed = CliRun.of(db.environment(), "run", "--date", "2026-01-05");
    assertThat(healed.out()).contains("aggregated revision 2").contains("verified");
    assertThat(CliRun.of(db.environment(), "verify", "--date", "2026-01-05").exitCode()).isZero();
  }

  @Test
  void givenNoAggregate_whenVerified_thenExitOne() {
    CliRun verify = CliRun.of(db.environment(), "verify", "--date", "2026-01-04");

    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.err()).contains("no aggregate stored for 2026-01-04");
  }

  @Test
  void givenAMigratedSchema_whenMigratedAgain_thenNothingApplied() {
    CliRun again = CliRun.of(db.environment(), "migrate");

    assertThat(again.exitCode()).isZero();
    assertThat(again.out())
        .contains("is at version " + SchemaMigrations.OWNED_VERSION + " (0 migration(s) applied)");
    assertThat(again.out()).doesNotContain("warning");
  }

  @Test
  void givenARawTableWithoutTheOccurredAtIndex_thenMigrateAndStatusWarnButSucceed() {
    db.execute(
        "DROP INDEX " + db.rawTable().schema().orElseThrow() + ".usage_records_occurred_at_idx");

    CliRun migrate = CliRun.of(db.environment(), "migrate");
    CliRun status = CliRun.of(db.environment(), "status");

    assertThat(migrate.exitCode()).isZero();
    assertThat(migrate.out())
        .contains("warning: raw table")
        .contains("has no index on occurred_at");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("has no index on occurred_at");
  }

  @Test
  void givenFailedPermanentlyFailedAndOldGaps_thenStatusListsThem_withTheBackfillCommand() {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    for (LocalDate d :
        new LocalDate[] {yesterday.minusDays(20), yesterday.minusDays(16), yesterday}) {
      assertThat(CliRun.of(db.environment(), "run", "--date", d.toString()).exitCode()).isZero();
    }
    LocalDate failed = yesterday.minusDays(2);
    LocalDate failedForGood = yesterday.minusDays(3);
    long id = 100;
    for (LocalDate bad : List.of(failed, failedForGood)) {
      // two records whose input tokens overflow bigint when summed: a day that cannot aggregate
      db.insertRaw(++id, bad + "T01:00:00Z", "acct-x", "gpt-large", Long.MAX_VALUE, 1, "1");
      db.insertRaw(++id, bad + "T02:00:00Z", "acct-x", "gpt-large", Long.MAX_VALUE, 1, "1");
    }
    assertThat(runExitCodes(failed, 1)).containsExactly(1);
    assertThat(runExitCodes(failedForGood, 3)).containsExactly(1, 1, 1);

    CliRun status = CliRun.of(db.environment(), "status");

    assertThat(status.exitCode()).isZero();
    assertThat(status.out())
        .contains("Freshness: yesterday (" + yesterday + ") is verified")
        .contains(yesterday.minusDays(1) + "  missing")
        .containsPattern(failed + " +failed \\(1 tries\\) .*out of range")
        .containsPattern(failedForGood + " +permanently failed .*out of range")
        .contains("Needs attention:")
        .contains("  failed: " + failed)
        .contains("  permanently failed: " + failedForGood)
        .contains(
            yesterday.minusDays(19)
                + ".."
                + yesterday.minusDays(17)
                + " (3 days): helix backfill --from "
                + yesterday.minusDays(19));
    assertThat(
            db.query(
                "SELECT day, consecutive_failures, permanently_failed_at IS NOT NULL AS p"
                    + " FROM {schema}.day_states WHERE consecutive_failures > 0 ORDER BY day"))
        .extracting(r -> r.get("day") + " " + r.get("consecutive_failures") + " " + r.get("p"))
        .containsExactly(failedForGood + " 3 true", failed + " 1 false");
  }

  /** Runs a day {@code times} times; the exit codes. */
  private List<Integer> runExitCodes(LocalDate day, int times) {
    List<Integer> codes = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      codes.add(CliRun.of(db.environment(), "run", "--date", day.toString()).exitCode());
    }
    return codes;
  }

  @Test
  void givenTheEmbeddedFlag_thenRunsWithoutAnyConfiguration() {
    CliRun run = CliRun.of(java.util.Map.of(), "run", "--embedded", "--date", "2026-01-05");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("2026-01-05 aggregated revision 1: 0 records");
  }

  @Test
  void givenTrackChanges_thenEnableStatusAndDisable_andABrokenSetupIsReported() {
    Map<String, String> env = db.environment();
    assertThat(CliRun.of(env, "track-changes", "status").out()).contains("is off");

    CliRun enable = CliRun.of(env, "track-changes", "enable");
    assertThat(enable.exitCode()).as(enable.err()).isZero();
    assertThat(enable.out()).contains("Change tracking is on for " + db.rawTable() + " since");
    db.insertRaw(3, "2026-01-05T10:00:00Z", "acct-1", "gpt-large", 1, 1, "0.01");
    assertThat(CliRun.of(env, "track-changes", "status").out())
        .contains("1 dirty day(s), 1 log entries: 2026-01-05");
    assertThat(CliRun.of(env, "run", "--date", "2026-01-05").exitCode()).isZero();
    assertThat(CliRun.of(env, "track-changes", "status").out()).contains("0 dirty day(s)");

    db.execute("DROP TRIGGER \"helix_" + db.schema() + "_changed_days_delete\" ON {raw}");
    CliRun broken = CliRun.of(env, "track-changes", "status");
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.out()).contains("BROKEN").contains("3 of 4 triggers");

    CliRun disable = CliRun.of(env, "track-changes", "disable");
    assertThat(disable.exitCode()).as(disable.err()).isZero();
    assertThat(
            db.count(
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE ?",
                "helix_" + db.schema() + "_%"))
        .as("no trigger of this schema is left")
        .isZero();
    assertThat(CliRun.of(env, "track-changes", "status").out()).contains("is off");
  }

  @Test
  void givenTrackChangesOnAMissingRawTable_thenOneLineError_andNoTracking() {
    Map<String, String> env = new java.util.HashMap<>(db.environment());
    env.put(HelixConfig.RAW_TABLE, db.schema() + ".no_such_table");

    CliRun enable = CliRun.of(env, "track-changes", "enable");

    assertThat(enable.exitCode()).isEqualTo(2);
    enable.assertOneLineError("does not exist");
    assertThat(db.count("SELECT count(*) FROM {schema}.change_tracking")).isZero();
  }
}
