package com.helix.aggregation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Checks of stored days against independent SQL over the raw table. */
public final class DayChecks {
  /**
   * Every day of the range with its figures, straight from the raw table: it groups by the UTC date
   * of each instant (not by the code's half-open ranges), and a day without records is a row of
   * zeros (a verified zero aggregate must exist for it), which a plain GROUP BY would not yield.
   */
  private static final String INDEPENDENT_HEADERS =
      "SELECT d::date AS day, count(r.occurred_at) AS record_count,"
          + " coalesce(sum(r.cost_usd), 0) AS cost_total,"
          + " coalesce(sum(r.input_tokens), 0)::bigint AS input_tokens,"
          + " coalesce(sum(r.output_tokens), 0)::bigint AS output_tokens"
          + " FROM generate_series(?::date, ?::date, interval '1 day') d"
          + " LEFT JOIN {raw} r ON (r.occurred_at AT TIME ZONE 'UTC')::date = d::date"
          + " GROUP BY d";

  private static final String STORED_HEADERS =
      "SELECT day, record_count, cost_total, input_tokens, output_tokens"
          + " FROM {schema}.daily_aggregates WHERE day BETWEEN ?::date AND ?::date";

  /**
   * Each (day, account, model) group of the raw table. A NULL cost or token count adds nothing, as
   * in the aggregation; a day without records has no group, and must have no breakdown row.
   */
  private static final String INDEPENDENT_BREAKDOWN =
      "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, account_id, model,"
          + " count(*) AS record_count, coalesce(sum(cost_usd), 0) AS cost_total,"
          + " coalesce(sum(input_tokens), 0)::bigint AS input_tokens,"
          + " coalesce(sum(output_tokens), 0)::bigint AS output_tokens FROM {raw}"
          + " WHERE (occurred_at AT TIME ZONE 'UTC')::date BETWEEN ?::date AND ?::date"
          + " GROUP BY 1, 2, 3";

  private static final String STORED_BREAKDOWN =
      "SELECT day, account_id, model, record_count, cost_total, input_tokens, output_tokens"
          + " FROM {schema}.daily_aggregate_breakdown WHERE day BETWEEN ?::date AND ?::date";

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

  /**
   * Every day of the range is stored, and its header and breakdown hold exactly the figures of an
   * independent group-by of the raw table: record count, cost, input and output tokens, compared in
   * both directions (stored rows the raw table does not produce, and raw groups that are not
   * stored), so a missing, extra or differing day or breakdown row fails the check. A day without
   * records must be stored as zeros with no breakdown rows.
   */
  public static void assertExact(TestDatabase db, LocalDate from, LocalDate to) {
    assertSameRows(db, "daily totals", INDEPENDENT_HEADERS, STORED_HEADERS, from, to);
    assertSameRows(db, "breakdown rows", INDEPENDENT_BREAKDOWN, STORED_BREAKDOWN, from, to);
  }

  private static void assertSameRows(
      TestDatabase db,
      String what,
      String independent,
      String stored,
      LocalDate from,
      LocalDate to) {
    String a = from.toString();
    String b = to.toString();
    List<Map<String, Object>> storedOnly =
        db.query("(" + stored + ") EXCEPT ALL (" + independent + ")", a, b, a, b);
    List<Map<String, Object>> independentOnly =
        db.query("(" + independent + ") EXCEPT ALL (" + stored + ")", a, b, a, b);
    assertThat(storedOnly)
        .as(
            "stored %s of %s..%s that an independent sum of the raw table does not give",
            what, a, b)
        .isEmpty();
    assertThat(independentOnly)
        .as("%s of %s..%s from an independent sum of the raw table that are not stored", what, a, b)
        .isEmpty();
  }
}
