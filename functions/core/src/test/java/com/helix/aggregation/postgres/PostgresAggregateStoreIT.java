package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.FencedException;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.SourceHash;
import com.helix.aggregation.core.Verification;
import com.helix.aggregation.core.WriteRequest;
import com.helix.aggregation.core.WriteResult;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PausePoint;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core operation of SPEC §3 against real PostgreSQL. */
class PostgresAggregateStoreIT {
  private static final LocalDate DAY = LocalDate.of(2026, 3, 14);

  private TestDatabase db;
  private Harness worker;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    worker = new Harness(db);
    db.insertRaw(1, "2026-03-14T00:00:00Z", "acct-1", "gpt-large", 100, 10, "1.5");
    db.insertRaw(2, "2026-03-14T12:30:00Z", "acct-1", "gpt-small", 200, 20, "0.0000000001");
    db.insertRaw(3, "2026-03-14T23:59:59.999999Z", "acct-2", "gpt-large", 300, 30, "-0.25");
    db.insertRaw(4, "2026-03-13T23:59:59.999999Z", "acct-1", "gpt-large", 1, 1, "100");
    db.insertRaw(5, "2026-03-15T00:00:00Z", "acct-1", "gpt-large", 1, 1, "100");
  }

  @AfterEach
  void tearDown() {
    worker.close();
  }

  @Test
  void givenNoAggregate_whenAggregated_thenHeaderAndBreakdownHoldTheDaysExactFigures() {
    AttemptReport report = worker.run(DAY);

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    DailyAggregate stored = worker.store.find(DAY).orElseThrow();
    assertThat(stored.totals().recordCount()).isEqualTo(3);
    assertThat(stored.totals().cost()).isEqualByComparingTo("1.2500000001");
    assertThat(stored.totals().inputTokens()).isEqualTo(600);
    assertThat(stored.totals().outputTokens()).isEqualTo(60);
    assertThat(stored.revision()).isEqualTo(1);
    assertThat(stored.verification()).isEqualTo(Verification.VERIFIED);
    assertThat(stored.verifiedAt()).isNotNull();
    assertThat(stored.complete()).isTrue();
    assertThat(stored.leaseToken()).isEqualTo(report.start().leaseToken()).isNotNull();
    assertThat(
            db.query(
                "SELECT account_id, model, record_count, cost_total::text AS cost"
                    + " FROM {schema}.daily_aggregate_breakdown WHERE day = ?"
                    + " ORDER BY account_id, model",
                DAY))
        .containsExactly(
            Map.of("account_id", "acct-1", "model", "gpt-large", "record_count", 1L, "cost", "1.5"),
            Map.of(
                "account_id",
                "acct-1",
                "model",
                "gpt-small",
                "record_count",
                1L,
                "cost",
                "0.0000000001"),
            Map.of(
                "account_id", "acct-2", "model", "gpt-large", "record_count", 1L, "cost", "-0.25"));
  }

  @Test
  void givenAnAggregatedDay_whenAggregatedAgain_thenTheRowsAreByteIdentical() {
    worker.run(DAY);
    String before = physicalRows();

    AttemptReport again = worker.run(DAY);

    assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(physicalRows()).isEqualTo(before);
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregate_history")).isZero();
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs WHERE day = ?", DAY)).isEqualTo(2);
  }

  @Test
  void givenAnInsertedRecord_whenAggregated_thenReplacedWithRevisionTwoAndHistory() {
    worker.run(DAY);
    db.insertRaw(6, "2026-03-14T08:00:00+05:30", "acct-3", "embed-1", 5, 0, "0.01");

    assertReaggregated("changed", 4, "1.2600000001");
  }

  @Test
  void givenADeletedRecord_whenAggregated_thenReplacedWithRevisionTwoAndHistory() {
    worker.run(DAY);
    db.execute("DELETE FROM {raw} WHERE id = 2");

    assertReaggregated("changed", 2, "1.25");
  }

  @Test
  void givenAnUpdatedCost_whenAggregated_thenReplacedWithRevisionTwoAndHistory() {
    worker.run(DAY);
    db.execute("UPDATE {raw} SET cost_usd = 2.5 WHERE id = 1");

    assertReaggregated("changed", 3, "2.2500000001");
  }

  @Test
  void givenAnUpdateOfAFieldThatIsNotSummed_whenAggregated_thenTheHashSeesIt() {
    worker.run(DAY);
    SourceHash before = worker.store.find(DAY).orElseThrow().sourceHash();
    db.execute("UPDATE {raw} SET id = 99 WHERE id = 2");

    assertThat(worker.store.currentSourceHash(DAY)).isNotEqualTo(before);
    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(worker.store.find(DAY).orElseThrow().revision()).isEqualTo(2);
  }

  @Test
  void givenAnUpdateThatChangesNoValue_whenAggregated_thenUnchanged() {
    worker.run(DAY);
    String before = physicalRows();
    db.execute(
        "UPDATE {raw} SET cost_usd = cost_usd, model = model WHERE occurred_at >= '2026-03-14Z'");

    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(physicalRows()).isEqualTo(before);
  }

  @Test
  void givenARescaledNumeric_whenAggregated_thenTheHashIsTheSameAndTheDayUnchanged() {
    worker.run(DAY);
    SourceHash before = worker.store.find(DAY).orElseThrow().sourceHash();
    db.execute("UPDATE {raw} SET cost_usd = 1.50 WHERE id = 1");
    assertThat(db.value("SELECT cost_usd::text FROM {raw} WHERE id = 1")).isEqualTo("1.50");

    assertThat(worker.store.currentSourceHash(DAY)).isEqualTo(before);
    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void givenAnySessionTimeZone_thenTheHashAndTheFiguresAreTheSame() {
    worker.run(DAY);
    DailyAggregate stored = worker.store.find(DAY).orElseThrow();
    for (String zone : List.of("UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham")) {
      try (Database session = new Database(db.sessions(db.url(), zone), Duration.ofMinutes(1))) {
        PostgresAggregateStore store =
            new PostgresAggregateStore(session, db.schema(), db.rawTable());
        assertThat(store.currentSourceHash(DAY)).as(zone).isEqualTo(stored.sourceHash());
        assertThat(store.verify(DAY, BigDecimal.ZERO).passed()).as(zone).isTrue();
      }
    }
  }

  @Test
  void givenACorruptedStoredTotal_whenVerified_thenUnverified_andTheNextRunHealsIt() {
    worker.run(DAY);
    db.execute("UPDATE {schema}.daily_aggregates SET cost_total = cost_total + 1");

    var report = worker.store.verify(DAY, BigDecimal.ZERO);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe())
        .contains("stored [3 records, cost 2.2500000001")
        .contains("raw table has [3 records, cost 1.2500000001");
    DailyAggregate flagged = worker.store.find(DAY).orElseThrow();
    assertThat(flagged.verification()).isEqualTo(Verification.UNVERIFIED);
    assertThat(flagged.verifiedAt()).isNull();

    AttemptReport healed = worker.run(DAY);

    assertThat(healed.outcome()).isEqualTo(Outcome.AGGREGATED);
    DailyAggregate fixed = worker.store.find(DAY).orElseThrow();
    assertThat(fixed.totals().cost()).isEqualByComparingTo("1.2500000001");
    assertThat(fixed.verification()).isEqualTo(Verification.VERIFIED);
    assertThat(fixed.revision()).isEqualTo(2);
    assertThat(db.value("SELECT reason FROM {schema}.daily_aggregate_history"))
        .isEqualTo("unverified");
  }

  @Test
  void givenACorruptedBreakdownRow_whenVerified_thenUnverified() {
    worker.run(DAY);
    db.execute(
        "UPDATE {schema}.daily_aggregate_breakdown SET record_count = record_count + 1"
            + " WHERE account_id = 'acct-2'");

    var report = worker.store.verify(DAY, BigDecimal.ZERO);

    assertThat(report.passed()).isFalse();
    assertThat(report.describe()).contains("breakdown sums to [4 records");
  }

  @Test
  void givenAToleranceForRoundingDeployments_whenTheCostDiffersWithinIt_thenVerified() {
    worker.run(DAY);
    db.execute("UPDATE {schema}.daily_aggregates SET cost_total = cost_total + 0.004");
    db.execute(
        "UPDATE {schema}.daily_aggregate_breakdown SET cost_total = cost_total + 0.004"
            + " WHERE account_id = 'acct-2'");

    assertThat(worker.store.verify(DAY, new BigDecimal("0.01")).passed()).isTrue();
    assertThat(worker.store.verify(DAY, BigDecimal.ZERO).passed()).isFalse();
  }

  @Test
  void givenForce_whenTheContentIsTheSame_thenTheRevisionDoesNotMove() {
    worker.run(DAY);
    String before = physicalRows();

    AttemptReport forced = worker.run(DAY, new RunOptions(true, false));

    assertThat(forced.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(worker.store.find(DAY).orElseThrow().revision()).isEqualTo(1);
    assertThat(physicalRows()).isEqualTo(before);
  }

  @Test
  void givenForce_whenTheBreakdownWasTamperedWithKeepingItsSums_thenItIsRepaired() {
    worker.run(DAY);
    // move cost between accounts: the sums still match the header, the hash still matches
    db.execute(
        "UPDATE {schema}.daily_aggregate_breakdown SET cost_total = cost_total + 1"
            + " WHERE account_id = 'acct-2'",
        "UPDATE {schema}.daily_aggregate_breakdown SET cost_total = cost_total - 1"
            + " WHERE model = 'gpt-small'");
    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.UNCHANGED);

    AttemptReport forced = worker.run(DAY, new RunOptions(true, false));

    assertThat(forced.outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(worker.store.find(DAY).orElseThrow().revision()).isEqualTo(2);
    assertThat(db.value("SELECT reason FROM {schema}.daily_aggregate_history")).isEqualTo("forced");
    assertThat(
            db.decimal(
                "SELECT cost_total FROM {schema}.daily_aggregate_breakdown"
                    + " WHERE account_id = 'acct-2'"))
        .isEqualByComparingTo("-0.25");
  }

  @Test
  void givenNullCostsAndTokens_thenCountedAsRecords_addingNothingToTheSums_andHashed() {
    db.execute(
        "ALTER TABLE {raw} ALTER COLUMN cost_usd DROP NOT NULL",
        "ALTER TABLE {raw} ALTER COLUMN input_tokens DROP NOT NULL");
    db.execute(
        "INSERT INTO {raw} VALUES (7, '2026-03-14T05:00:00Z', 'acct-9', 'embed-1', NULL, 3, NULL)");

    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);

    DailyAggregate stored = worker.store.find(DAY).orElseThrow();
    assertThat(stored.totals().recordCount()).isEqualTo(4);
    assertThat(stored.totals().cost()).isEqualByComparingTo("1.2500000001");
    assertThat(stored.totals().inputTokens()).isEqualTo(600);
    assertThat(stored.isVerified()).isTrue();
    assertThat(
            db.decimal(
                "SELECT cost_total FROM {schema}.daily_aggregate_breakdown WHERE account_id = 'acct-9'"))
        .isEqualByComparingTo("0");
    SourceHash withNull = stored.sourceHash();
    db.execute("UPDATE {raw} SET cost_usd = 0 WHERE id = 7");
    assertThat(worker.store.currentSourceHash(DAY)).as("NULL and 0 differ").isNotEqualTo(withNull);
    assertThat(new RawTableCheck(worker.database, db.rawTable()).warnings())
        .anyMatch(w -> w.contains("column cost_usd allows NULL"))
        .anyMatch(w -> w.contains("column input_tokens allows NULL"));
  }

  @Test
  void givenADayWithNoRecords_whenAggregated_thenAVerifiedRowWithZeroTotals() {
    LocalDate empty = LocalDate.of(2026, 3, 1);

    assertThat(worker.run(empty).outcome()).isEqualTo(Outcome.AGGREGATED);

    DailyAggregate stored = worker.store.find(empty).orElseThrow();
    assertThat(stored.totals().recordCount()).isZero();
    assertThat(stored.totals().cost()).isEqualByComparingTo("0");
    assertThat(stored.verification()).isEqualTo(Verification.VERIFIED);
    assertThat(stored.sourceHash().value()).isEqualTo("h2:0000000000000000");
    assertThat(worker.run(empty).outcome()).isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void givenAFailureBetweenHeaderAndBreakdownWrites_thenThePreviousStateIsIntact() {
    worker.run(DAY);
    String before = physicalRows();
    db.execute(
        "CREATE FUNCTION {schema}.fail_breakdown() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN RAISE EXCEPTION 'injected failure after the header write'; END $$",
        "CREATE TRIGGER fail_breakdown BEFORE INSERT ON {schema}.daily_aggregate_breakdown"
            + " FOR EACH ROW EXECUTE FUNCTION {schema}.fail_breakdown()");
    db.insertRaw(6, "2026-03-14T10:00:00Z", "acct-9", "code-4", 1, 1, "7");

    AttemptReport failed = worker.run(DAY);

    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.failure().orElseThrow().message()).contains("injected failure");
    assertThat(physicalRows()).isEqualTo(before);
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregate_history")).isZero();
    assertThat(
            db.query(
                "SELECT outcome, attempt, error_class FROM {schema}.job_runs ORDER BY id DESC"
                    + " LIMIT 1"))
        .containsExactly(
            Map.of("outcome", "failed", "attempt", 1, "error_class", "DatabaseException"));
    assertThat(db.count("SELECT consecutive_failures FROM {schema}.day_states WHERE day = ?", DAY))
        .isEqualTo(1);
  }

  @Test
  void givenTwoConcurrentWritersOfANewDay_thenTheOlderSnapshotIsFenced_andTheNewerStands()
      throws Exception {
    assertOlderSnapshotFenced(false);
  }

  @Test
  void givenTwoConcurrentWritersOfAnExistingDay_thenTheOlderSnapshotIsFenced_andTheNewerStands()
      throws Exception {
    assertOlderSnapshotFenced(true);
  }

  /** No lease: two store transactions race; only the database's snapshot fencing decides. */
  private void assertOlderSnapshotFenced(boolean existing) throws Exception {
    if (existing) {
      worker.run(DAY);
    }
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "older");
        Database olderSession =
            new Database(db.sessions(pause.url(), "UTC"), Duration.ofMinutes(1));
        Database newerSession = db.open()) {
      PostgresAggregateStore older =
          new PostgresAggregateStore(olderSession, db.schema(), db.rawTable());
      PostgresAggregateStore newer =
          new PostgresAggregateStore(newerSession, db.schema(), db.rawTable());
      CompletableFuture<WriteResult> olderWrite =
          CompletableFuture.supplyAsync(
              () -> older.aggregate(DAY, new WriteRequest(1, existing, true)));
      pause.awaitPaused(Duration.ofSeconds(30));

      db.insertRaw(6, "2026-03-14T10:00:00Z", "acct-9", "code-4", 1, 1, "7");
      WriteResult newerWrite = newer.aggregate(DAY, new WriteRequest(2, false, true));
      pause.release();

      assertThatThrownBy(() -> olderWrite.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(FencedException.class);
      assertThat(newerWrite.change())
          .isEqualTo(existing ? WriteResult.Change.REPLACED : WriteResult.Change.CREATED);
      DailyAggregate stands = worker.store.find(DAY).orElseThrow();
      assertThat(stands.leaseToken()).isEqualTo(2L);
      assertThat(stands.totals().recordCount()).isEqualTo(4);
      assertThat(stands.totals().cost()).isEqualByComparingTo("8.2500000001");
      assertThat(worker.store.verify(DAY, BigDecimal.ZERO).passed()).isTrue();
    }
  }

  private void assertReaggregated(String reason, long records, String cost) {
    DailyAggregate before = worker.store.find(DAY).orElseThrow();
    List<Map<String, Object>> breakdownBefore =
        db.query(
            "SELECT account_id, model, record_count, cost_total FROM"
                + " {schema}.daily_aggregate_breakdown ORDER BY 1, 2");

    AttemptReport report = worker.run(DAY);

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    DailyAggregate after = worker.store.find(DAY).orElseThrow();
    assertThat(after.revision()).isEqualTo(2);
    assertThat(after.totals().recordCount()).isEqualTo(records);
    assertThat(after.totals().cost()).isEqualByComparingTo(cost);
    assertThat(after.verification()).isEqualTo(Verification.VERIFIED);
    assertThat(after.sourceHash()).isNotEqualTo(before.sourceHash());
    assertThat(
            db.query(
                "SELECT revision, record_count, cost_total, source_hash, reason"
                    + " FROM {schema}.daily_aggregate_history WHERE day = ?",
                DAY))
        .containsExactly(
            Map.of(
                "revision", 1,
                "record_count", before.totals().recordCount(),
                "cost_total", before.totals().cost(),
                "source_hash", before.sourceHash().value(),
                "reason", reason));
    assertThat(
            db.query(
                "SELECT account_id, model, record_count, cost_total FROM"
                    + " {schema}.daily_aggregate_breakdown_history WHERE revision = 1"
                    + " ORDER BY 1, 2"))
        .isEqualTo(breakdownBefore);
    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.UNCHANGED);
  }

  /** Header and breakdown rows with their physical identity: any rewrite changes it. */
  private String physicalRows() {
    return db.query(
                "SELECT ctid::text, xmin::text, a::text FROM {schema}.daily_aggregates a"
                    + " ORDER BY day")
            .toString()
        + db.query(
                "SELECT ctid::text, xmin::text, b::text FROM {schema}.daily_aggregate_breakdown b"
                    + " ORDER BY day, account_id, model")
            .toString();
  }
}
