package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code helix backfill --local} and {@code --dry-run} against a real PostgreSQL. */
class BackfillCommandIT {
  private static final LocalDate FIRST = LocalDate.of(2025, 6, 1);

  private TestDatabase db;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 21, 500, 11);
    }
  }

  @Test
  void
      givenThreeDaysThatAlwaysFail_thenEachIsPermanentlyFailedAfterExactlyThreeAttempts_theRestVerified_andRetryFailedHealsThem() {
    List<LocalDate> bad = List.of(FIRST.plusDays(3), FIRST.plusDays(9), FIRST.plusDays(15));
    long id = 1_000_000;
    for (LocalDate day : bad) {
      // two records whose input tokens overflow bigint when summed: a day that cannot aggregate
      db.insertRaw(++id, day + "T01:00:00Z", "acct-x", "gpt-large", Long.MAX_VALUE, 1, "1");
      db.insertRaw(++id, day + "T02:00:00Z", "acct-x", "gpt-large", Long.MAX_VALUE, 1, "1");
    }
    LocalDate last = FIRST.plusDays(20);

    CliRun first =
        backfill(fastThrottle(), "--from", FIRST.toString(), "--to", last.toString(), "--local");

    assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(1);
    assertThat(first.out()).contains("Failed for good: " + bad).contains("--retry-failed --local");
    for (LocalDate day : bad) {
      assertThat(
              db.query(
                  "SELECT attempt, outcome FROM {schema}.job_runs WHERE day = ? ORDER BY id", day))
          .as(day.toString())
          .extracting(r -> r.get("attempt") + " " + r.get("outcome"))
          .containsExactly("1 failed", "2 failed", "3 permanently-failed");
      assertThat(
              db.value(
                  "SELECT permanently_failed_at IS NOT NULL FROM {schema}.day_states WHERE day = ?",
                  day))
          .isEqualTo(true);
    }
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE verification = 'verified'"))
        .isEqualTo(18);
    DayChecks.assertExact(db, FIRST, FIRST.plusDays(2));
    DayChecks.assertExact(db, FIRST.plusDays(4), FIRST.plusDays(8));
    DayChecks.assertExact(db, FIRST.plusDays(10), FIRST.plusDays(14));
    DayChecks.assertExact(db, FIRST.plusDays(16), last);

    CliRun again =
        backfill(fastThrottle(), "--from", FIRST.toString(), "--to", last.toString(), "--local");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.out()).contains("failed for good before this backfill");
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs WHERE day = ?", bad.get(0)))
        .as("a permanently failed day is skipped, not tried again")
        .isEqualTo(3);

    db.execute("DELETE FROM {raw} WHERE account_id = 'acct-x'");
    CliRun healed =
        backfill(
            fastThrottle(),
            "--from",
            FIRST.toString(),
            "--to",
            last.toString(),
            "--local",
            "--retry-failed");

    assertThat(healed.exitCode()).as(healed.out() + healed.err()).isZero();
    assertThat(healed.out())
        .contains("Reset 3 permanently failed day(s)")
        .contains("3 aggregated, 18 unchanged");
    DayChecks.assertExact(db, FIRST, last);
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE verification = 'verified'"))
        .isEqualTo(21);
  }

  @Test
  void
      givenMissingChangedUnchangedUnverifiedAndFailedDays_thenTheDryRunPrintsThePlanAndChangesNothing() {
    LocalDate changed = FIRST.plusDays(1);
    LocalDate unchanged = FIRST.plusDays(2);
    LocalDate unverified = FIRST.plusDays(3);
    LocalDate failed = FIRST.plusDays(4);
    for (LocalDate day : List.of(changed, unchanged, unverified)) {
      assertThat(CliRun.of(fastThrottle(), "run", "--date", day.toString()).exitCode()).isZero();
    }
    db.insertRaw(2_000_001, changed + "T12:00:00Z", "acct-late", "gpt-small", 10, 1, "0.5");
    db.execute(
        "UPDATE {schema}.daily_aggregates SET cost_total = cost_total + 1 WHERE day = '"
            + unverified
            + "'");
    assertThat(CliRun.of(fastThrottle(), "verify", "--date", unverified.toString()).exitCode())
        .isEqualTo(1);
    db.insertRaw(2_000_002, failed + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(2_000_003, failed + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    assertThat(CliRun.of(fastThrottle(), "run", "--date", failed.toString()).exitCode())
        .isEqualTo(1);
    String before = db.ownedTablesFingerprint();

    CliRun dryRun =
        backfill(
            fastThrottle(),
            "--from",
            FIRST.toString(),
            "--to",
            FIRST.plusDays(5).toString(),
            "--dry-run");

    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains(FIRST + "  missing")
        .contains(changed + "  changed")
        .contains(unchanged + "  unchanged")
        .contains(unverified + "  unverified")
        .contains(failed + "  failed")
        .contains(FIRST.plusDays(5) + "  missing")
        .contains(
            "Dry run of "
                + FIRST
                + ".."
                + FIRST.plusDays(5)
                + ": 2 missing, 1 unchanged, 1 changed, 1 unverified, 1 failed. Nothing was written.")
        .contains("Checked 6/6 days");
    assertThat(db.ownedTablesFingerprint()).isEqualTo(before);
  }

  @Test
  void givenTwoOverlappingBackfillsAtOnce_thenTheSecondWaitsItsTurn_andNoDayIsComputedTwice()
      throws Exception {
    Map<String, String> env = new HashMap<>(db.environment());
    // a pause of 700 ms after every day: the first backfill holds its lease for about ten seconds,
    // time enough for the second to start and find it held even on a loaded machine
    env.put(HelixConfig.BATCH_SIZE, "1");
    env.put(HelixConfig.BATCH_DELAY_MS, "700");
    CompletableFuture<CliRun> a =
        CompletableFuture.supplyAsync(
            () ->
                backfill(
                    env,
                    "--from",
                    FIRST.toString(),
                    "--to",
                    FIRST.plusDays(14).toString(),
                    "--local"));
    awaitFirstJobRun();
    CompletableFuture<CliRun> b =
        CompletableFuture.supplyAsync(
            () ->
                backfill(
                    env,
                    "--from",
                    FIRST.plusDays(7).toString(),
                    "--to",
                    FIRST.plusDays(20).toString(),
                    "--local"));

    CliRun first = a.get(2, TimeUnit.MINUTES);
    CliRun second = b.get(2, TimeUnit.MINUTES);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out())
        .contains(
            "Another backfill is running (it holds the backfill lease in PostgreSQL advisory locks at")
        .contains("8 unchanged");
    assertThat(first.out()).contains("15 aggregated");
    assertThat(
            db.count(
                "SELECT count(*) FROM (SELECT day FROM {schema}.job_runs WHERE outcome = 'aggregated'"
                    + " GROUP BY day HAVING count(*) > 1) twice"))
        .as("days computed twice")
        .isZero();
    DayChecks.assertComputedOnceAndExact(db, FIRST, FIRST.plusDays(20));
  }

  private void awaitFirstJobRun() throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (db.count("SELECT count(*) FROM {schema}.job_runs") == 0) {
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  private Map<String, String> fastThrottle() {
    Map<String, String> env = new HashMap<>(db.environment());
    env.put(HelixConfig.BATCH_DELAY_MS, "50");
    return env;
  }

  private static CliRun backfill(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "backfill";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(env, all);
  }
}
