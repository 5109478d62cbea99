package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every aggregate equals an independent SQL sum over randomized data: negative and fractional costs
 * with 10 decimals, empty and one-record days, records at 00:00:00 and 23:59:59.999999 exactly,
 * timestamps written with non-UTC offsets.
 */
class ExactnessIT {
  private static final LocalDate FIRST = LocalDate.of(2025, 10, 20);
  private static final int DAYS = 40;
  private static final List<ZoneOffset> OFFSETS =
      List.of(
          ZoneOffset.UTC,
          ZoneOffset.ofHoursMinutes(5, 30),
          ZoneOffset.ofHours(-8),
          ZoneOffset.ofHoursMinutes(12, 45),
          ZoneOffset.ofHours(-3));

  @Test
  void givenRandomizedDays_whenAggregated_thenEveryAggregateEqualsAnIndependentSum()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    insertRandomRecords(db, random);

    try (Harness worker = new Harness(db)) {
      for (int i = 0; i < DAYS; i++) {
        assertThat(worker.run(FIRST.plusDays(i)).outcome())
            .as("seed %d day %s", seed, FIRST.plusDays(i))
            .isEqualTo(Outcome.AGGREGATED);
      }
      // The independent sums group by the UTC date of each instant in SQL, not by our ranges.
      List<Map<String, Object>> expected =
          db.query(
              "SELECT d::date AS day, count(r.id) AS n, coalesce(sum(r.cost_usd), 0) AS cost,"
                  + " coalesce(sum(r.input_tokens), 0) AS tin,"
                  + " coalesce(sum(r.output_tokens), 0) AS tout"
                  + " FROM generate_series(?::date, ?::date, interval '1 day') d"
                  + " LEFT JOIN {raw} r ON (r.occurred_at AT TIME ZONE 'UTC')::date = d::date"
                  + " GROUP BY d ORDER BY d",
              FIRST,
              FIRST.plusDays(DAYS - 1));
      assertThat(expected).hasSize(DAYS);
      for (Map<String, Object> row : expected) {
        LocalDate day = ((java.sql.Date) row.get("day")).toLocalDate();
        DailyAggregate stored = worker.store.find(day).orElseThrow();
        assertThat(stored.totals().recordCount())
            .as("seed %d %s", seed, day)
            .isEqualTo(row.get("n"));
        assertThat(stored.totals().cost())
            .as("seed %d %s", seed, day)
            .isEqualByComparingTo((BigDecimal) row.get("cost"));
        assertThat(BigDecimal.valueOf(stored.totals().inputTokens()))
            .isEqualByComparingTo((BigDecimal) row.get("tin"));
        assertThat(BigDecimal.valueOf(stored.totals().outputTokens()))
            .isEqualByComparingTo((BigDecimal) row.get("tout"));
        assertThat(stored.isVerified()).isTrue();
      }
      // Header and breakdown, every figure, both directions (stored vs independent group-by).
      try {
        DayChecks.assertExact(db, FIRST, FIRST.plusDays(DAYS - 1));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
      assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates WHERE record_count = 0"))
          .as("empty days, seed %d", seed)
          .isPositive();
      assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates WHERE record_count = 1"))
          .as("one-record days, seed %d", seed)
          .isPositive();
    }
  }

  private static void insertRandomRecords(TestDatabase db, Random random) throws Exception {
    long id = 0;
    try (Connection c = DriverManager.getConnection(db.url());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + db.rawTable().quoted()
                    + " VALUES (?, ?::timestamptz, ?, ?, ?, ?, ?::numeric)")) {
      // one day before and after the range, so boundary records have neighbours to leak into
      for (int d = -1; d <= DAYS; d++) {
        LocalDate day = FIRST.plusDays(d);
        int records =
            switch (Math.floorMod(d, 7)) {
              case 0 -> 0; // empty day
              case 1 -> 1; // one-record day
              default -> random.nextInt(400);
            };
        OffsetDateTime start = day.atStartOfDay().atOffset(ZoneOffset.UTC);
        for (int r = 0; r < records; r++) {
          OffsetDateTime at =
              switch (r) {
                case 0 -> start; // 00:00:00 exactly
                case 1 -> start.plusDays(1).minus(1, ChronoUnit.MICROS); // 23:59:59.999999
                default -> start.plus(random.nextLong(86_400_000_000L), ChronoUnit.MICROS);
              };
          ZoneOffset offset = OFFSETS.get(random.nextInt(OFFSETS.size()));
          ps.setLong(1, ++id);
          ps.setString(2, at.withOffsetSameInstant(offset).toString());
          ps.setString(3, "acct-" + random.nextInt(12));
          ps.setString(4, "model-" + random.nextInt(4));
          ps.setLong(5, random.nextInt(100_000));
          ps.setLong(6, random.nextInt(10_000));
          ps.setString(7, randomCost(random).toPlainString());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Up to ±1000 with 10 decimals, a fifth of them negative (credits and corrections). */
  private static BigDecimal randomCost(Random random) {
    BigDecimal cost =
        BigDecimal.valueOf(random.nextLong(10_000_000_000_000L), 10)
            .setScale(10, RoundingMode.UNNECESSARY);
    return random.nextInt(5) == 0 ? cost.negate() : cost;
  }
}
