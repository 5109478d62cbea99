package com.helix.aggregation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

/** Checks of stored days against independent SQL over the raw table. */
public final class DayChecks {
  private DayChecks() {}

  /**
   * Every day of the range is stored once, verified, with totals and breakdown equal to an
   * independent sum of the raw table, and no replaced content (each was computed once).
   */
  public static void assertComputedOnceAndExact(TestDatabase db, LocalDate from, LocalDate to) {
    long days = to.toEpochDay() - from.toEpochDay() + 1;
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE day BETWEEN ? AND ?"
                    + " AND verification = 'verified' AND revision = 1",
                from,
                to))
        .isEqualTo(days);
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregate_history WHERE day BETWEEN ? AND ?",
                from,
                to))
        .as("replaced days")
        .isZero();
    assertExact(db, from, to);
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.day_states WHERE day BETWEEN ? AND ?"
                    + " AND consecutive_failures = 0 AND last_success_at IS NOT NULL",
                from,
                to))
        .as("days whose retry state shows their success (none clobbered by a losing attempt)")
        .isEqualTo(days);
  }

  /** Totals and breakdown of the stored days equal an independent sum of the raw table. */
  public static void assertExact(TestDatabase db, LocalDate from, LocalDate to) {
    String independentHeader =
        "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n, sum(cost_usd) AS c,"
            + " sum(input_tokens) AS i, sum(output_tokens) AS o FROM {raw}"
            + " WHERE (occurred_at AT TIME ZONE 'UTC')::date BETWEEN ?::date AND ?::date GROUP BY 1";
    assertThat(
            db.count(
                "SELECT count(*) FROM (("
                    + independentHeader
                    + ") EXCEPT SELECT day, record_count, cost_total, input_tokens, output_tokens"
                    + " FROM {schema}.daily_aggregates) differing",
                from.toString(),
                to.toString()))
        .as("days whose stored totals differ from the raw table")
        .isZero();
    assertThat(
            db.count(
                "SELECT count(*) FROM ((SELECT (occurred_at AT TIME ZONE 'UTC')::date, account_id,"
                    + " model, count(*), sum(cost_usd) FROM {raw}"
                    + " WHERE (occurred_at AT TIME ZONE 'UTC')::date BETWEEN ?::date AND ?::date"
                    + " GROUP BY 1, 2, 3)"
                    + " EXCEPT SELECT day, account_id, model, record_count, cost_total"
                    + " FROM {schema}.daily_aggregate_breakdown) differing",
                from.toString(),
                to.toString()))
        .as("breakdown rows that differ from the raw table")
        .isZero();
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregate_breakdown b WHERE b.day BETWEEN ? AND ?",
                from,
                to))
        .as("breakdown rows, no duplicates")
        .isEqualTo(
            db.count(
                "SELECT count(*) FROM (SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date,"
                    + " account_id, model FROM {raw}"
                    + " WHERE (occurred_at AT TIME ZONE 'UTC')::date BETWEEN ?::date AND ?::date) g",
                from.toString(),
                to.toString()));
  }
}
