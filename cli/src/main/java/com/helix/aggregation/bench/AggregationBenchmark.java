package com.helix.aggregation.bench;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.SqlValues;
import com.helix.aggregation.wiring.AggregationWiring;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The aggregation's cost against the floor and a naive peer, measured side by side in one process
 * (issues 3 and 12). Every figure is a wall-clock time of one operation on one day of N generated
 * records, including its JDBC round trips; each repetition runs every operation once, in turn, so
 * drift of the machine affects all of them alike. Floor, peer and full aggregation are measured
 * twice per repetition: with the server's parallel query settings, and on sessions with {@code
 * max_parallel_workers_per_gather = 0}. Then, when asked for, the unchanged catch-up of a week
 * ({@link CatchUpBenchmark}) and ingestion with and without change tracking ({@link
 * IngestionBenchmark}). It writes only to its own schemas ({@code helix_bench}, {@code
 * helix_bench_raw}), which it drops and recreates, so it can run against any database without
 * touching real aggregates.
 */
public final class AggregationBenchmark {
  /** How the raw table is laid out. */
  public enum Layout {
    PLAIN,
    /** One partition per UTC day (range on occurred_at), and a default partition. */
    DAY_PARTITIONS,
    /** One partition per UTC month, and a default partition. */
    MONTH_PARTITIONS
  }

  /**
   * What to measure.
   *
   * @param layout the raw table: plain, or partitioned by day or month
   * @param catchUp measure the unchanged catch-up of a week (needs 8 days of data: generated)
   * @param ingestion measure ingestion with and without change tracking
   * @param ingestRows rows per ingestion sample (multi-row and batched; a tenth of it single-row)
   */
  public record Options(
      int recordsPerDay,
      int days,
      int repeat,
      Layout layout,
      boolean catchUp,
      boolean ingestion,
      int ingestRows) {

    /** The days of data: the catch-up needs its target and seven days before it. */
    int dataDays() {
      return catchUp ? Math.max(days, CatchUpBenchmark.DAYS) : days;
    }
  }

  /** The server settings that the embedded server of {@code helix bench} starts with. */
  public static final Map<String, String> EMBEDDED_SETTINGS = Map.of("fsync", "on");

  private final String url;
  private final Map<String, String> environment;
  private final Clock clock;
  private final PrintStream progress;

  public AggregationBenchmark(
      String url, Map<String, String> environment, Clock clock, PrintStream progress) {
    this.url = url;
    this.environment = environment;
    this.clock = clock;
    this.progress = progress;
  }

  public BenchResult run(Options options) {
    HelixConfig config = benchConfig(environment);
    Samples samples = new Samples();
    Map<String, Object> details = new LinkedHashMap<>();
    try (Database admin = new Database(sessions(false, config), config.statementTimeout());
        Database serialAdmin = new Database(sessions(true, config), config.statementTimeout())) {
      new BenchData(url, progress)
          .prepare(
              admin,
              options.layout(),
              options.dataDays(),
              options.recordsPerDay(),
              UtcDay.today(clock));
      Map<String, String> server = serverSettings(admin);
      details.put("layout", BenchData.describe(options.layout()));
      try (AggregationWiring wiring = wiring(config, false);
          AggregationWiring serial = wiring(config, true)) {
        HeapWatch heap = new HeapWatch();
        Pass pass =
            new Pass(
                admin,
                serialAdmin,
                wiring,
                serial,
                wiring.aggregateDayService(Metrics.NONE, JobLog.NONE),
                serial.aggregateDayService(Metrics.NONE, JobLog.NONE),
                heap);
        progress.println("Warming up (one unmeasured pass)...");
        pass.run(BenchData.FIRST_DAY, new Samples());
        heap.reset();
        for (int rep = 0; rep < options.repeat(); rep++) {
          LocalDate day = BenchData.FIRST_DAY.plusDays(rep % options.days());
          pass.run(day, samples);
          progress.printf("Repetition %d/%d done (day %s)%n", rep + 1, options.repeat(), day);
        }
        details.put("jvm_heap_mb", heap.figures());
        details.put("grouping_plan", wiring.store().groupingPlan(BenchData.FIRST_DAY));
      }
      if (options.catchUp()) {
        new CatchUpBenchmark(url, environment, progress).run(options.repeat(), samples);
      }
      if (options.ingestion()) {
        details.put(
            "ingestion_settings",
            new IngestionBenchmark(url, config, clock, progress)
                .run(options.repeat(), options.ingestRows(), samples));
      }
      return new BenchResult(options, samples, server, details);
    }
  }

  /** One repetition of the aggregation section: every operation once on the day, timed. */
  private record Pass(
      Database admin,
      Database serialAdmin,
      AggregationWiring wiring,
      AggregationWiring serialWiring,
      AggregateDayService service,
      AggregateDayService serialService,
      HeapWatch heap) {

    void run(LocalDate day, Samples samples) {
      samples.time("floor", () -> floor(admin, day));
      samples.time("peer", () -> peer(admin, day));
      forget(admin, day);
      heap.around(
          () ->
              samples.time(
                  "full",
                  () ->
                      expect(
                          service.aggregate(day, Trigger.MANUAL, RunOptions.DEFAULT, "bench"),
                          Outcome.AGGREGATED)));
      samples.time(
          "unchanged",
          () ->
              expect(
                  service.aggregate(day, Trigger.MANUAL, RunOptions.DEFAULT, "bench"),
                  Outcome.UNCHANGED));
      samples.time("hash", () -> wiring.store().currentSourceHash(day));
      samples.time(
          "verify",
          () -> {
            if (!wiring.store().verify(day, wiring.config().verifyTolerance()).passed()) {
              throw new IllegalStateException(
                  "verification failed during the benchmark for " + day);
            }
            return null;
          });
      samples.time("floor_serial", () -> floor(serialAdmin, day));
      samples.time("peer_serial", () -> peer(serialAdmin, day));
      forget(admin, day);
      heap.around(
          () ->
              samples.time(
                  "full_serial",
                  () ->
                      expect(
                          serialService.aggregate(
                              day, Trigger.MANUAL, RunOptions.DEFAULT, "bench-serial"),
                          Outcome.AGGREGATED)));
    }
  }

  static AttemptReport expect(AttemptReport report, Outcome outcome) {
    if (report.outcome() != outcome) {
      throw new IllegalStateException(
          "expected " + outcome.value() + " but the run ended: " + report.summary());
    }
    return report;
  }

  /** The floor: what any aggregation must at least read. */
  private static Object floor(Database admin, LocalDate day) {
    return admin.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*), sum(cost_usd) FROM "
                      + BenchData.RAW.quoted()
                      + " WHERE occurred_at >= ? AND occurred_at < ?")) {
            SqlValues.bindDayRange(ps, 1, day);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /**
   * The naive peer: what a hand-written cron job does, one statement, no hash, verification,
   * history or bookkeeping. (An INSERT ... SELECT never runs in parallel: its figure is the same
   * with parallel query on and off.)
   */
  private static Object peer(Database admin, LocalDate day) {
    return admin.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + BenchData.PEER
                      + " (day, account_id, model, record_count, cost_total,"
                      + " input_tokens, output_tokens) SELECT ?, account_id, model, count(*),"
                      + " sum(cost_usd), sum(input_tokens), sum(output_tokens) FROM "
                      + BenchData.RAW.quoted()
                      + " WHERE occurred_at >= ? AND occurred_at < ? GROUP BY account_id, model"
                      + " ON CONFLICT (day, account_id, model) DO UPDATE SET"
                      + " record_count = excluded.record_count, cost_total = excluded.cost_total,"
                      + " input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens")) {
            ps.setObject(1, day);
            SqlValues.bindDayRange(ps, 2, day);
            return ps.executeUpdate();
          }
        });
  }

  /** Makes a day "never aggregated" again in the benchmark's own schema. */
  static void forget(Database admin, LocalDate day) {
    admin.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          for (String table :
              List.of(
                  "daily_aggregate_breakdown_history",
                  "daily_aggregate_history",
                  "daily_aggregate_breakdown",
                  "daily_aggregates",
                  "day_states")) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM " + BenchData.SCHEMA + "." + table + " WHERE day = ?")) {
              ps.setObject(1, day);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  private AggregationWiring wiring(HelixConfig config, boolean serial) {
    return new AggregationWiring(
        config,
        sessions(serial, config),
        clock,
        new StopSignal(),
        AggregationWiring::postgresLeases);
  }

  /**
   * Sessions on the benchmark's database; serial ones run without parallel workers, whatever the
   * server's settings.
   */
  private ConnectionFactory sessions(boolean serial, HelixConfig config) {
    ConnectionFactory plain = ConnectionFactory.fromUrl(url, config.statementTimeout());
    if (!serial) {
      return plain;
    }
    return new ConnectionFactory() {
      @Override
      public Connection open() throws java.sql.SQLException {
        Connection c = plain.open();
        try (Statement s = c.createStatement()) {
          s.execute("SET max_parallel_workers_per_gather = 0");
        }
        return c;
      }

      @Override
      public String describe() {
        return plain.describe() + " (parallel query off)";
      }
    };
  }

  /**
   * The configuration of every benchmark session: its own schemas, the PostgreSQL lease in them,
   * and never a queue (nothing of a real deployment is touched).
   */
  static HelixConfig benchConfig(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    env.put(HelixConfig.SCHEMA, BenchData.SCHEMA);
    env.put(HelixConfig.RAW_TABLE, BenchData.RAW.toString());
    env.remove(HelixConfig.DATABASE_URL);
    env.remove(HelixConfig.LEASE_TABLE);
    env.remove(HelixConfig.BACKFILL_QUEUE_URL);
    env.remove(HelixConfig.BACKFILL_DLQ_URL);
    return HelixConfig.fromEnvironment(env);
  }

  static Map<String, String> serverSettings(Database admin) {
    return admin.autocommit(
        c -> {
          Map<String, String> settings = new LinkedHashMap<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT name, setting FROM pg_settings WHERE name IN ('server_version',"
                          + " 'fsync', 'synchronous_commit', 'max_parallel_workers_per_gather',"
                          + " 'shared_buffers', 'work_mem', 'jit') ORDER BY name")) {
            while (rs.next()) {
              settings.put(rs.getString(1), rs.getString(2));
            }
          }
          return settings;
        });
  }

  /** Samples of every operation, in the order they were first measured. */
  static final class Samples {
    private final Map<String, List<Double>> byOperation = new LinkedHashMap<>();

    /** Runs the work and records its wall-clock milliseconds. */
    <T> T time(String operation, Supplier<T> work) {
      long start = System.nanoTime();
      T result = work.get();
      add(operation, (System.nanoTime() - start) / 1e6);
      return result;
    }

    void add(String operation, double ms) {
      byOperation.computeIfAbsent(operation, k -> new ArrayList<>()).add(ms);
    }

    Map<String, List<Double>> asMap() {
      return byOperation;
    }
  }
}
