package com.helix.aggregation.bench;

import com.helix.aggregation.bench.AggregationBenchmark.Layout;
import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.SchemaMigrations;
import com.helix.aggregation.sample.UsageGenerator;
import java.io.PrintStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The benchmark's own schemas and data: {@code helix_bench} (the owned objects) and {@code
 * helix_bench_raw.usage_records} (generated usage, plain or partitioned by range of {@code
 * occurred_at}), dropped and recreated by every run, and the naive peer's table.
 */
final class BenchData {
  static final String SCHEMA = "helix_bench";
  static final TableName RAW = new TableName(Optional.of("helix_bench_raw"), "usage_records");
  static final String PEER = SCHEMA + ".peer_daily_breakdown";

  /** The first generated day; the others follow it. */
  static final LocalDate FIRST_DAY = LocalDate.of(2024, 3, 1);

  private final String url;
  private final PrintStream progress;

  BenchData(String url, PrintStream progress) {
    this.url = url;
    this.progress = progress;
  }

  /**
   * Drops and recreates both schemas, generates {@code recordsPerDay} records into each of {@code
   * days} days from {@link #FIRST_DAY}, and leaves the raw table vacuumed and analysed.
   *
   * @param today the current UTC day, which gets a partition of its own as an application's would
   */
  void prepare(Database admin, Layout layout, int days, int recordsPerDay, LocalDate today) {
    progress.printf(
        "Preparing schemas %s and %s (%s) with %,d records a day for %d days...%n",
        SCHEMA, RAW.schema().orElseThrow(), describe(layout), recordsPerDay, days);
    admin.autocommit(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + RAW.schema().orElseThrow() + " CASCADE");
          }
          return null;
        });
    SchemaMigrations.migrateOwned(url, SCHEMA, "");
    if (layout == Layout.PLAIN) {
      SchemaMigrations.migrateRaw(url, RAW);
    } else {
      createPartitioned(admin, layout, days, today);
    }
    long started = System.nanoTime();
    String timeout =
        admin.autocommit(
            c -> {
              try (Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                rs.next();
                String was = rs.getString(1);
                // The generator sorts a day's rows by time: in memory rather than in temporary
                // files; a day of tens of millions of rows is one statement that may outlast the
                // timeout, and so may its VACUUM.
                s.execute("SET work_mem = '256MB'");
                s.execute("SET statement_timeout = 0");
                return was;
              }
            });
    UsageGenerator generator = new UsageGenerator(admin, RAW);
    for (int i = 0; i < days; i++) {
      generator.generateDay(FIRST_DAY.plusDays(i), recordsPerDay, 1);
      if (recordsPerDay >= 5_000_000) {
        progress.printf(
            "  generated %s (%.0f s so far)%n",
            FIRST_DAY.plusDays(i), (System.nanoTime() - started) / 1e9);
      }
    }
    admin.autocommit(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE "
                    + PEER
                    + " (day date NOT NULL, account_id text, model text,"
                    + " record_count bigint, cost_total numeric, input_tokens bigint,"
                    + " output_tokens bigint, PRIMARY KEY (day, account_id, model))");
            // Set hint bits and the visibility map now, so no measured scan pays for them.
            s.execute("VACUUM (ANALYZE) " + RAW.quoted());
            s.execute("RESET work_mem");
          }
          try (PreparedStatement ps =
              c.prepareStatement("SELECT set_config('statement_timeout', ?, false)")) {
            ps.setString(1, timeout);
            ps.executeQuery().close();
          }
          return null;
        });
    progress.printf("  data ready in %.0f s%n", (System.nanoTime() - started) / 1e9);
  }

  static String describe(Layout layout) {
    return switch (layout) {
      case PLAIN -> "raw table not partitioned";
      case DAY_PARTITIONS -> "raw table partitioned by day";
      case MONTH_PARTITIONS -> "raw table partitioned by month";
    };
  }

  /**
   * The raw table as an application would partition it: range on occurred_at, the primary key
   * including the partition key (PostgreSQL requires it), the same index on occurred_at.
   */
  private static void createPartitioned(Database admin, Layout layout, int days, LocalDate today) {
    String raw = RAW.quoted();
    TreeSet<LocalDate> starts = new TreeSet<>();
    for (int i = 0; i < days; i++) {
      starts.add(partitionStart(layout, FIRST_DAY.plusDays(i)));
    }
    starts.add(partitionStart(layout, today));
    admin.autocommit(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + TableName.quote(RAW.schema().orElseThrow()));
            s.execute(
                "CREATE TABLE "
                    + raw
                    + " (id bigint NOT NULL, occurred_at timestamptz NOT NULL,"
                    + " account_id text NOT NULL, model text NOT NULL,"
                    + " input_tokens bigint NOT NULL, output_tokens bigint NOT NULL,"
                    + " cost_usd numeric NOT NULL, PRIMARY KEY (id, occurred_at))"
                    + " PARTITION BY RANGE (occurred_at)");
            s.execute(
                "CREATE INDEX "
                    + TableName.quote(RAW.name() + "_occurred_at_idx")
                    + " ON "
                    + raw
                    + " (occurred_at)");
            for (LocalDate start : starts) {
              LocalDate end =
                  layout == Layout.DAY_PARTITIONS ? start.plusDays(1) : start.plusMonths(1);
              s.execute(
                  "CREATE TABLE "
                      + partition(start, layout)
                      + " PARTITION OF "
                      + raw
                      + " FOR VALUES FROM ('"
                      + UtcDay.start(start)
                      + "') TO ('"
                      + UtcDay.start(end)
                      + "')");
            }
            s.execute(
                "CREATE TABLE " + partitionNamed("default") + " PARTITION OF " + raw + " DEFAULT");
          }
          return null;
        });
  }

  private static LocalDate partitionStart(Layout layout, LocalDate day) {
    return layout == Layout.DAY_PARTITIONS ? day : YearMonth.from(day).atDay(1);
  }

  private static String partition(LocalDate start, Layout layout) {
    return partitionNamed(
        start.format(
            DateTimeFormatter.ofPattern(layout == Layout.DAY_PARTITIONS ? "yyyyMMdd" : "yyyyMM")));
  }

  private static String partitionNamed(String suffix) {
    return TableName.quote(RAW.schema().orElseThrow())
        + "."
        + TableName.quote(RAW.name() + "_" + suffix);
  }
}
