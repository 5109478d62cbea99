package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a raw table partitioned by day works unchanged, and a day's run reads its day's
 * partition only: the grouping scan's plan names no other partition, and after a run (the grouping,
 * the verification and repeated unchanged checks, whose parameterised reads go generic after five
 * executions and are then pruned when they start) no other partition was scanned at all.
 */
class PartitionedRawTableIT {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 3);

  @Test
  void givenARawTablePartitionedByDay_thenARunReadsItsDaysPartitionAlone() throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    partitionByDay(db, DAY.minusDays(1), DAY, DAY.plusDays(1));
    db.insertRaw(1, "2025-03-02T23:59:59.999999Z", "acct-1", "gpt-large", 7, 7, "7");
    db.insertRaw(2, "2025-03-03T00:00:00Z", "acct-1", "gpt-large", 10, 5, "1.25");
    db.insertRaw(3, "2025-03-03T23:59:59.999999Z", "acct-2", "embed-1", 1, 0, "-0.5");
    db.insertRaw(4, "2025-03-04T00:00:00Z", "acct-2", "embed-1", 9, 9, "9");

    try (Harness worker = new Harness(db)) {
      Map<String, Long> before = scans(db);
      AttemptReport first =
          worker.service.runDay(DAY, Trigger.MANUAL, RunOptions.DEFAULT, "test", Deadline.NONE);
      for (int i = 0; i < 8; i++) {
        assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.UNCHANGED);
      }
      worker.database.autocommit(
          c -> {
            try (Statement s = c.createStatement()) {
              s.execute("SELECT pg_stat_force_next_flush()");
            }
            return null;
          });

      assertThat(first.outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(first.verification().orElseThrow().passed()).isTrue();
      assertThat(first.aggregate().orElseThrow().totals().recordCount()).isEqualTo(2);
      assertThat(first.aggregate().orElseThrow().totals().cost())
          .isEqualByComparingTo(new BigDecimal("0.75"));
      Map<String, Long> scanned = scannedSince(db, before, partition(DAY));
      assertThat(scanned)
          .as("scans per partition during the runs")
          .containsOnlyKeys(partition(DAY));
      List<String> plan = worker.store.groupingPlan(DAY);
      assertThat(plan).as(String.join("\n", plan)).anyMatch(l -> l.contains(partition(DAY)));
      assertThat(plan)
          .as(String.join("\n", plan))
          .noneMatch(l -> l.contains(partition(DAY.minusDays(1))))
          .noneMatch(l -> l.contains(partition(DAY.plusDays(1))));
    }
  }

  /** Replaces the test's raw table by one partitioned by day, as an application would. */
  private static void partitionByDay(TestDatabase db, LocalDate... days) {
    String schema = TableName.quote(db.rawTable().schema().orElseThrow());
    db.execute(
        "DROP TABLE {raw}",
        "CREATE TABLE {raw} (id bigint NOT NULL, occurred_at timestamptz NOT NULL,"
            + " account_id text NOT NULL, model text NOT NULL, input_tokens bigint NOT NULL,"
            + " output_tokens bigint NOT NULL, cost_usd numeric NOT NULL,"
            + " PRIMARY KEY (id, occurred_at)) PARTITION BY RANGE (occurred_at)",
        "CREATE INDEX ON {raw} (occurred_at)");
    for (LocalDate day : days) {
      db.execute(
          "CREATE TABLE "
              + schema
              + "."
              + partition(day)
              + " PARTITION OF {raw} FOR VALUES FROM ('"
              + day
              + "T00:00:00Z') TO ('"
              + day.plusDays(1)
              + "T00:00:00Z')");
    }
  }

  private static String partition(LocalDate day) {
    return "usage_records_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
  }

  /** Sequential and index scans so far, per partition of the raw table. */
  private static Map<String, Long> scans(TestDatabase db) {
    Map<String, Long> scans = new HashMap<>();
    for (Map<String, Object> row :
        db.query(
            "SELECT relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS scans"
                + " FROM pg_stat_user_tables WHERE schemaname = ?",
            db.rawTable().schema().orElseThrow())) {
      scans.put((String) row.get("relname"), ((Number) row.get("scans")).longValue());
    }
    return scans;
  }

  /**
   * The partitions scanned since {@code before}, once the statistics show the expected one scanned
   * (a session reports them shortly after it goes idle).
   */
  private static Map<String, Long> scannedSince(
      TestDatabase db, Map<String, Long> before, String expected) throws InterruptedException {
    Map<String, Long> scanned = new HashMap<>();
    for (int wait = 0; wait < 100 && !scanned.containsKey(expected); wait++) {
      Thread.sleep(wait == 0 ? 0 : 100);
      scanned.clear();
      scans(db)
          .forEach(
              (table, n) -> {
                long delta = n - before.getOrDefault(table, 0L);
                if (delta > 0) {
                  scanned.put(table, delta);
                }
              });
    }
    return scanned;
  }
}
