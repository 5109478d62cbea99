package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.SourceHash;
import com.helix.aggregation.core.SourceHash.Algorithm;
import com.helix.aggregation.core.VerificationReport;
import com.helix.aggregation.core.WriteRequest;
import com.helix.aggregation.core.WriteResult;
import com.helix.aggregation.core.WriteResult.Change;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record hashes' values never change (issue 12): a stored aggregate whose raw data did not
 * change must hash as it did, or every stored day would look changed after an upgrade. The pinned
 * H1 values were computed with the first version of the hash ({@code occurred_at AT TIME ZONE
 * 'UTC'}), the H2 ones checked in psql the same way, each in a session of another time zone; the
 * sessions here run in Asia/Kolkata. A day stored with an H1 hash keeps it, and stays unchanged,
 * until its raw data changes.
 */
class RecordHashStabilityIT {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 3);
  private static final SourceHash KNOWN_H1 = new SourceHash("h1:e3272c420fe761d9");
  private static final SourceHash KNOWN_H2 = new SourceHash("h2:0aa4be725aedf7b9");

  @Test
  void givenKnownRecords_thenEachAlgorithmHashesAsItsFirstVersion() {
    TestDatabase db = PostgresFixture.freshDatabase();
    insertKnownRecords(db);
    try (Database session = db.open()) {
      PostgresAggregateStore store =
          new PostgresAggregateStore(session, db.schema(), db.rawTable());

      assertThat(store.currentSourceHash(DAY, Algorithm.H1)).isEqualTo(KNOWN_H1);
      assertThat(store.currentSourceHash(DAY)).isEqualTo(KNOWN_H2);
      assertThat(store.aggregate(DAY, new WriteRequest(1, false, true)).current().sourceHash())
          .as("the grouping scan's hash")
          .isEqualTo(KNOWN_H2);
    }
  }

  @Test
  void givenNullsAndANaN_thenEachAlgorithmHashesAsItsFirstVersion() {
    TestDatabase db = PostgresFixture.freshDatabase();
    db.execute(
        "ALTER TABLE {raw} ALTER COLUMN account_id DROP NOT NULL",
        "ALTER TABLE {raw} ALTER COLUMN input_tokens DROP NOT NULL",
        "ALTER TABLE {raw} ALTER COLUMN output_tokens DROP NOT NULL",
        "ALTER TABLE {raw} ALTER COLUMN cost_usd DROP NOT NULL");
    insertKnownRecords(db);
    db.execute(
        "INSERT INTO {raw} VALUES (5, '2025-03-03T08:00:00Z', NULL, 'vision-2', NULL, 3, NULL),"
            + " (6, '2025-03-03T09:00:00Z', 'acct-3', '', 1, NULL, 'NaN')");
    try (Database session = db.open()) {
      PostgresAggregateStore store =
          new PostgresAggregateStore(session, db.schema(), db.rawTable());

      SourceHash withNullsH1 = new SourceHash("h1:a86e01e6bcfcabbb");
      assertThat(store.currentSourceHash(DAY, Algorithm.H1)).isEqualTo(withNullsH1);
      // The four complete records count as H2 hashes them; the two with a NULL by H1's expression
      // with the cost seeded by its sign, whose sum psql gives as 7572171180392610691.
      BigInteger withNullRecords = BigInteger.valueOf(7572171180392610691L);
      assertThat(store.currentSourceHash(DAY))
          .isEqualTo(SourceHash.ofSum(Algorithm.H2, sum(KNOWN_H2).add(withNullRecords)))
          .isEqualTo(new SourceHash("h2:73ba800424ae733c"));
    }
  }

  @Test
  void givenADayStoredWithTheFirstAlgorithm_thenLeftAloneUntilItsRawDataChanges() {
    TestDatabase db = PostgresFixture.freshDatabase();
    insertKnownRecords(db);
    try (Database session = db.open()) {
      PostgresAggregateStore store = storedByTheFirstVersion(db, session);
      assertThat(store.stillMatches(DAY, KNOWN_H1)).isTrue();
      List<Map<String, Object>> header = headerRowVersion(db);
      List<Map<String, Object>> breakdown = breakdownRows(db);

      WriteResult again = store.aggregate(DAY, new WriteRequest(2, false, true));

      assertThat(again.change()).isEqualTo(Change.UNCHANGED);
      assertThat(headerRowVersion(db)).as("not written, not even locked").isEqualTo(header);

      WriteResult forced = store.aggregate(DAY, new WriteRequest(3, true, true));

      assertThat(forced.change()).isEqualTo(Change.UNCHANGED);
      DailyAggregate kept = store.find(DAY).orElseThrow();
      assertThat(kept.sourceHash()).isEqualTo(KNOWN_H1);
      assertThat(kept.revision()).isEqualTo(1);
      assertThat(breakdownRows(db)).isEqualTo(breakdown);

      // A record moved to another account: the same totals, a changed breakdown.
      db.execute("UPDATE {raw} SET account_id = 'acct-2' WHERE id = 1");
      assertThat(store.stillMatches(DAY, KNOWN_H1)).isFalse();
      WriteResult changed = store.aggregate(DAY, new WriteRequest(4, false, true));

      assertThat(changed.change()).isEqualTo(Change.REPLACED);
      assertThat(changed.current().revision()).isEqualTo(2);
      assertThat(changed.current().sourceHash())
          .isEqualTo(store.currentSourceHash(DAY))
          .extracting(SourceHash::algorithm)
          .isEqualTo(Algorithm.CURRENT);
      assertThat(historyReasons(db)).containsExactly("changed");
      assertThat(store.verify(DAY, BigDecimal.ZERO).passed()).isTrue();
    }
  }

  @Test
  void givenAPartialDayStoredWithTheFirstAlgorithm_whenRunOnceEnded_thenReplacedForBeingPartial() {
    TestDatabase db = PostgresFixture.freshDatabase();
    insertKnownRecords(db);
    try (Database session = db.open()) {
      PostgresAggregateStore store = storedByTheFirstVersion(db, session);
      db.execute("UPDATE {schema}.daily_aggregates SET complete = false");

      WriteResult completed = store.aggregate(DAY, new WriteRequest(2, false, true));

      assertThat(completed.change()).isEqualTo(Change.REPLACED);
      assertThat(completed.current().complete()).isTrue();
      assertThat(historyReasons(db)).containsExactly("partial");
    }
  }

  @Test
  void
      givenADayStoredWithTheFirstAlgorithm_whenVerified_thenAWrongTotalIsItsFailure_butMovingDataIsNot() {
    TestDatabase db = PostgresFixture.freshDatabase();
    insertKnownRecords(db);
    try (Database session = db.open()) {
      PostgresAggregateStore store = storedByTheFirstVersion(db, session);
      db.execute("UPDATE {schema}.daily_aggregates SET cost_total = cost_total + 1");

      VerificationReport wrong = store.verify(DAY, BigDecimal.ZERO);

      assertThat(wrong.passed()).isFalse();
      assertThat(wrong.isFailure()).as("the raw data did not move: " + wrong.describe()).isTrue();

      db.insertRaw(9, "2025-03-03T20:00:00Z", "acct-1", "gpt-large", 1, 1, "0.01");
      VerificationReport moved = store.verify(DAY, BigDecimal.ZERO);

      assertThat(moved.rawMoved()).isTrue();
      assertThat(moved.isFailure()).isFalse();
    }
  }

  /** The known records aggregated and verified, then stored as the first version stored them. */
  private static PostgresAggregateStore storedByTheFirstVersion(TestDatabase db, Database session) {
    PostgresAggregateStore store = new PostgresAggregateStore(session, db.schema(), db.rawTable());
    store.aggregate(DAY, new WriteRequest(1, false, true));
    assertThat(store.verify(DAY, BigDecimal.ZERO).passed()).isTrue();
    db.execute("UPDATE {schema}.daily_aggregates SET source_hash = '" + KNOWN_H1 + "'");
    return store;
  }

  private static List<Map<String, Object>> headerRowVersion(TestDatabase db) {
    return db.query("SELECT xmin::text, xmax::text FROM  {schema}.daily_aggregates");
  }

  private static List<Map<String, Object>> breakdownRows(TestDatabase db) {
    return db.query("SELECT * FROM {schema}.daily_aggregate_breakdown ORDER BY account_id, model");
  }

  private static List<String> historyReasons(TestDatabase db) {
    return db
        .query("SELECT reason FROM {schema}.daily_aggregate_history ORDER BY revision")
        .stream()
        .map(row -> (String) row.get("reason"))
        .toList();
  }

  private static BigInteger sum(SourceHash hash) {
    return new BigInteger(hash.value().substring(3), 16);
  }

  /** Offsets, the day's first and last microsecond, a display scale, a large id and cost. */
  private static void insertKnownRecords(TestDatabase db) {
    db.insertRaw(1, "2025-03-03T00:00:00Z", "acct-1", "gpt-large", 100, 20, "0.0123456789");
    db.insertRaw(2, "2025-03-03T23:59:59.999999Z", "acct-2", "embed-1", 0, 0, "-0.5");
    db.insertRaw(3, "2025-03-03T12:30:00+05:30", "acct-1", "gpt-small", 5, 7, "1.50");
    db.insertRaw(
        4_000_000_000_123L,
        "2025-03-03T06:00:00.000001-08:00",
        "äccount ü",
        "code-4",
        4_000_000_000_000L,
        1,
        "123456789012345678901234567890.123456789");
  }
}
