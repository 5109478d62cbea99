package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.SourceHash;
import com.helix.aggregation.core.WriteRequest;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The record hash's values never change (issue 12): a stored aggregate whose raw data did not
 * change must hash as it did, or every stored day would look changed after an upgrade. The pinned
 * values were computed with the first version of the hash ({@code occurred_at AT TIME ZONE 'UTC'}),
 * in a session of another time zone; the sessions here run in Asia/Kolkata.
 */
class RecordHashStabilityIT {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 3);

  @Test
  void givenKnownRecords_thenTheHashAndTheAggregatesHashAreTheFirstVersions() {
    TestDatabase db = PostgresFixture.freshDatabase();
    insertKnownRecords(db);
    try (Database session = db.open()) {
      PostgresAggregateStore store =
          new PostgresAggregateStore(session, db.schema(), db.rawTable());

      assertThat(store.currentSourceHash(DAY)).isEqualTo(new SourceHash("h1:e3272c420fe761d9"));
      assertThat(store.aggregate(DAY, new WriteRequest(1, false, true)).current().sourceHash())
          .as("the grouping scan's hash")
          .isEqualTo(new SourceHash("h1:e3272c420fe761d9"));
    }
  }

  @Test
  void givenNullsAndANaN_thenTheHashIsTheFirstVersions() {
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

      assertThat(store.currentSourceHash(DAY)).isEqualTo(new SourceHash("h1:a86e01e6bcfcabbb"));
    }
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
