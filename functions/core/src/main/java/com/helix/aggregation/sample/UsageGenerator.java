package com.helix.aggregation.sample;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;

/**
 * Generates realistic usage records inside PostgreSQL, for the demo, tests and benchmarks (never
 * production): 200 accounts with a skewed spread (a few large customers, a long tail), six models
 * with their own token prices, log-normal token counts, costs with 10 decimals, and about 0.1%
 * negative credits. Rows are stored in time order, as an application appends them (which the
 * planner's index-correlation estimates see). Deterministic for a seed. Rows never pass through
 * Java.
 */
public final class UsageGenerator {
  private static final String MODELS =
      "(VALUES (0, 'gpt-large', 0.0100, 0.0300), (1, 'gpt-small', 0.0005, 0.0015),"
          + " (2, 'embed-1', 0.0001, 0.0000), (3, 'vision-2', 0.0050, 0.0150),"
          + " (4, 'audio-3', 0.0060, 0.0060), (5, 'code-4', 0.0030, 0.0060))"
          + " AS m(i, name, price_in, price_out)";

  private final Database db;
  private final TableName rawTable;

  public UsageGenerator(Database db, TableName rawTable) {
    this.db = db;
    this.rawTable = rawTable;
  }

  /** Inserts {@code recordsPerDay} records into each day of {@code [from, from + days)}. */
  public long generate(LocalDate from, int days, int recordsPerDay, double seed) {
    long total = 0;
    for (int i = 0; i < days; i++) {
      total += generateDay(from.plusDays(i), recordsPerDay, seed);
    }
    return total;
  }

  /** Inserts {@code records} records into one day; returns how many. */
  public long generateDay(LocalDate day, int records, double seed) {
    String insert =
        "INSERT INTO "
            + rawTable.quoted()
            + " (id, occurred_at, account_id, model, input_tokens, output_tokens, cost_usd)"
            + " SELECT base.id + row_number() OVER (ORDER BY r.ts), r.ts, 'acct-' || lpad(r.acct::text, 4, '0'), m.name,"
            + " CASE WHEN r.credit THEN 0 ELSE r.tin END,"
            + " CASE WHEN r.credit THEN 0 ELSE r.tout END,"
            + " CASE WHEN r.credit THEN -round((r.u * 0.5)::numeric, 10)"
            + " ELSE round(r.tin * m.price_in / 1000 + r.tout * m.price_out / 1000, 10) END"
            + " FROM (SELECT g, ?::timestamptz"
            + " + (random() * 86399999999)::bigint * interval '1 microsecond' AS ts,"
            + " floor(200 * power(random(), 3))::int AS acct,"
            + " floor(6 * power(random(), 1.5))::int AS mi,"
            + " floor(exp(3 + random() * 6))::bigint AS tin,"
            + " floor(exp(2 + random() * 5))::bigint AS tout,"
            + " random() < 0.001 AS credit, random() AS u"
            + " FROM generate_series(1, ?) g) r"
            + " JOIN "
            + MODELS
            + " ON m.i = r.mi"
            + " CROSS JOIN (SELECT coalesce(max(id), 0) AS id FROM "
            + rawTable.quoted()
            + ") base"
            // rows land in time order, as an application appends them
            + " ORDER BY r.ts";
    return db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          try (PreparedStatement seedIt = c.prepareStatement("SELECT setseed(?)")) {
            seedIt.setDouble(1, dayseed(day, seed));
            try (ResultSet rs = seedIt.executeQuery()) {
              rs.next();
            }
          }
          try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setObject(1, SqlValues.timestamptz(UtcDay.start(day)));
            ps.setInt(2, records);
            return (long) ps.executeUpdate();
          }
        });
  }

  /** A seed in [-1, 1] for each day, so days differ but repeat for the same seed. */
  private static double dayseed(LocalDate day, double seed) {
    double mixed = Math.sin(day.toEpochDay() * 12.9898 + seed * 78.233) * 43758.5453;
    return (mixed - Math.floor(mixed)) * 2 - 1;
  }
}
