package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC §3 change detection: the source hash covers every raw field that feeds the aggregate, so an
 * update of any one of them alone (even one that leaves every total as it was) makes the next run
 * re-aggregate the day, keeping the previous content in history.
 */
class ChangeDetectionIT {
  private static final LocalDate DAY = LocalDate.of(2026, 3, 14);

  private TestDatabase db;
  private Harness worker;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    worker = new Harness(db);
    db.insertRaw(1, "2026-03-14T08:00:00Z", "acct-1", "gpt-large", 100, 10, "1.5");
    db.insertRaw(2, "2026-03-14T12:30:00Z", "acct-1", "gpt-small", 200, 20, "0.25");
    db.insertRaw(3, "2026-03-14T20:00:00Z", "acct-2", "gpt-large", 300, 30, "-0.25");
    db.insertRaw(4, "2026-03-14T09:00:00Z", "acct-1", "gpt-large", 400, 40, "0.5");
    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
  }

  @AfterEach
  void tearDown() {
    worker.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "occurred_at moved within the same UTC day"
            + " | UPDATE {raw} SET occurred_at = occurred_at + interval '3 hours' WHERE id = 2",
        "account_id | UPDATE {raw} SET account_id = 'acct-3' WHERE id = 2",
        "model | UPDATE {raw} SET model = 'embed-1' WHERE id = 2",
        "input_tokens | UPDATE {raw} SET input_tokens = 201 WHERE id = 2",
        "output_tokens | UPDATE {raw} SET output_tokens = 21 WHERE id = 2",
        "id | UPDATE {raw} SET id = 99 WHERE id = 2",
        "cost_usd | UPDATE {raw} SET cost_usd = 0.26 WHERE id = 2",
        "cost_usd's sign, a charge turned into a credit"
            + " | UPDATE {raw} SET cost_usd = -cost_usd WHERE id = 2",
        "a charge and a credit swapped between two accounts, the day's sums unchanged"
            + " | UPDATE {raw} SET cost_usd = -cost_usd WHERE id IN (2, 3)",
        "input_tokens swapped between two records of one group, every sum unchanged"
            + " | UPDATE {raw} SET input_tokens = CASE id WHEN 1 THEN 400 ELSE 100 END"
            + " WHERE id IN (1, 4)",
      })
  void givenAnUpdateOfOneHashedField_thenTheNextRunReaggregatesTheDay(String field, String update) {
    DailyAggregate before = worker.store.find(DAY).orElseThrow();
    db.execute(update);

    AttemptReport report = worker.run(DAY);

    assertThat(report.outcome()).as(field).isEqualTo(Outcome.AGGREGATED);
    DailyAggregate after = worker.store.find(DAY).orElseThrow();
    assertThat(after.revision()).as(field).isEqualTo(2);
    assertThat(after.isVerified()).as(field).isTrue();
    assertThat(after.sourceHash()).as(field).isNotEqualTo(before.sourceHash());
    assertThat(
            db.query(
                "SELECT revision, source_hash, reason FROM {schema}.daily_aggregate_history"
                    + " WHERE day = ?",
                DAY))
        .as(field)
        .containsExactly(
            Map.of("revision", 1, "source_hash", before.sourceHash().value(), "reason", "changed"));
    DayChecks.assertExact(db, DAY, DAY);
    assertThat(worker.run(DAY).outcome()).as(field + ", then").isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void givenARecordMovedToAnotherAccount_thenReaggregated_andTheBreakdownFollowsIt() {
    List<Map<String, Object>> breakdownBefore = breakdown("daily_aggregate_breakdown");
    db.execute("UPDATE {raw} SET account_id = 'acct-2' WHERE id = 2");

    AttemptReport report = worker.run(DAY);

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    DailyAggregate after = worker.store.find(DAY).orElseThrow();
    assertThat(after.revision()).isEqualTo(2);
    assertThat(after.isVerified()).isTrue();
    // the header is the same (a move between accounts sums alike); the breakdown is not
    assertThat(after.totals().recordCount()).isEqualTo(4);
    assertThat(after.totals().cost()).isEqualByComparingTo("2.00");
    assertThat(breakdown("daily_aggregate_breakdown"))
        .extracting(r -> r.get("account_id") + "/" + r.get("model") + " " + r.get("record_count"))
        .containsExactly("acct-1/gpt-large 2", "acct-2/gpt-large 1", "acct-2/gpt-small 1");
    DayChecks.assertExact(db, DAY, DAY);
    assertThat(breakdown("daily_aggregate_breakdown_history")).isEqualTo(breakdownBefore);
    assertThat(db.value("SELECT reason FROM {schema}.daily_aggregate_history"))
        .isEqualTo("changed");
  }

  private List<Map<String, Object>> breakdown(String table) {
    return db.query(
        "SELECT account_id, model, record_count, cost_total, input_tokens, output_tokens"
            + " FROM {schema}."
            + table
            + " WHERE day = ? ORDER BY account_id, model",
        DAY);
  }
}
