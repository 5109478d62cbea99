package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.SourceHash;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, defect 9: a NULL field still counts in the record hash, and its stand-in is no value the
 * field can hash to: a NULL cost and a NaN cost (hash_numeric_extended('NaN', 7) is 7) differ.
 */
class RecordHashNullsIT {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 3);

  @Test
  void givenNullAndSpecialValues_thenEachHashesDifferently() {
    TestDatabase db = PostgresFixture.freshDatabase();
    db.execute(
        "ALTER TABLE {raw} ALTER COLUMN cost_usd DROP NOT NULL",
        "ALTER TABLE {raw} ALTER COLUMN input_tokens DROP NOT NULL",
        "ALTER TABLE {raw} ALTER COLUMN account_id DROP NOT NULL");
    db.insertRaw(1, "2025-03-03T10:00:00Z", "acct-1", "gpt-large", 7, 1, "1");
    try (Database session = db.open()) {
      PostgresAggregateStore store =
          new PostgresAggregateStore(session, db.schema(), db.rawTable());
      Set<SourceHash> seen = new HashSet<>();
      for (String change :
          List.of(
              "cost_usd = NULL",
              "cost_usd = 'NaN'",
              "cost_usd = 7",
              "cost_usd = 1, input_tokens = NULL",
              "input_tokens = 5",
              "input_tokens = 7, account_id = NULL",
              "account_id = ''")) {
        db.execute("UPDATE {raw} SET " + change);
        assertThat(seen.add(store.currentSourceHash(DAY))).as(change).isTrue();
      }
    }
  }

  @Test
  void givenSignedAndSpecialCosts_thenEachHashesDifferently_butNaNAndInfinityAlike() {
    TestDatabase db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2025-03-03T10:00:00Z", "acct-1", "gpt-large", 7, 1, "12.5");
    try (Database session = db.open()) {
      PostgresAggregateStore store =
          new PostgresAggregateStore(session, db.schema(), db.rawTable());
      Set<SourceHash> seen = new HashSet<>();
      seen.add(store.currentSourceHash(DAY));
      for (String cost : List.of("-12.5", "0", "0.00125", "-Infinity", "NaN")) {
        db.execute("UPDATE {raw} SET cost_usd = '" + cost + "'");
        assertThat(seen.add(store.currentSourceHash(DAY))).as(cost).isTrue();
      }
      // hash_numeric_extended answers its seed for both, and neither is a billable figure
      db.execute("UPDATE {raw} SET cost_usd = 'Infinity'");
      assertThat(seen).contains(store.currentSourceHash(DAY));
    }
  }

  @Test
  void givenACreditWithoutAModel_whenItsSignFlips_thenTheHashChanges() {
    TestDatabase db = PostgresFixture.freshDatabase();
    db.execute("ALTER TABLE {raw} ALTER COLUMN model DROP NOT NULL");
    db.insertRaw(1, "2025-03-03T10:00:00Z", "acct-1", "gpt-large", 7, 1, "2.50");
    db.insertRaw(2, "2025-03-03T11:00:00Z", "acct-2", "gpt-large", 7, 1, "-2.50");
    db.execute("UPDATE {raw} SET model = NULL");
    try (Database session = db.open()) {
      PostgresAggregateStore store =
          new PostgresAggregateStore(session, db.schema(), db.rawTable());
      Set<SourceHash> seen = new HashSet<>();
      seen.add(store.currentSourceHash(DAY));
      db.execute("UPDATE {raw} SET cost_usd = -cost_usd");
      assertThat(seen.add(store.currentSourceHash(DAY)))
          .as("a charge and a credit swapped between two accounts")
          .isTrue();
      db.execute("UPDATE {raw} SET cost_usd = -cost_usd WHERE id = 1");
      assertThat(seen.add(store.currentSourceHash(DAY)))
          .as("a credit turned into a charge")
          .isTrue();
    }
  }
}
