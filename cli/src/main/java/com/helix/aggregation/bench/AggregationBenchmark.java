package com.helix.aggregation.bench;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.SchemaMigrations;
import com.helix.aggregation.postgres.SqlValues;
import com.helix.aggregation.sample.UsageGenerator;
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
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The aggregation's cost against the floor and a naive peer, measured side by side in one process
 * (issue 3). Every figure is a wall-clock time of one operation on one day of N generated records,
 * including its JDBC round trips; each repetition runs every operation once, in turn, so drift of
 * the machine affects all of them alike. It writes only to its own schemas ({@code helix_bench},
 * {@code helix_bench_raw}), which it drops and recreates, so it can run against any database
 * without touching real aggregates.
 */
public final class AggregationBenchmark {
  public static final String SCHEMA = "helix_bench";
  public static final TableName RAW =
      new TableName(Optional.of("helix_bench_raw"), "usage_records");
  private static final String PEER = "helix_bench.peer_daily_breakdown";

  /** The measured operations, in the order of the table. */
  public static final List<String> OPERATIONS =
      List.of("floor", "peer", "full", "unchanged", "hash", "verify");

  private static final LocalDate FIRST_DAY = LocalDate.of(2024, 3, 1);

  /** What to measure. */
  public record Options(int recordsPerDay, int days, int repeat) {}

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
    HelixConfig config = benchConfig();
    try (Database admin =
        new Database(
            ConnectionFactory.fromUrl(url, config.statementTimeout()), config.statementTimeout())) {
      prepare(admin, config, options);
      try (AggregationWiring wiring =
          new AggregationWiring(
              config,
              ConnectionFactory.fromUrl(url, config.statementTimeout()),
              clock,
              new StopSignal(),
              AggregationWiring::postgresLeases)) {
        AggregateDayService service = wiring.aggregateDayService(Metrics.NONE, JobLog.NONE);
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        OPERATIONS.forEach(op -> samples.put(op, new ArrayList<>()));
        progress.println("Warming up (one unmeasured pass)...");
        pass(admin, wiring, service, FIRST_DAY, new HashMap<>());
        for (int rep = 0; rep < options.repeat(); rep++) {
          LocalDate day = FIRST_DAY.plusDays(rep % options.days());
          pass(admin, wiring, service, day, samples);
          progress.printf("Repetition %d/%d done (day %s)%n", rep + 1, options.repeat(), day);
        }
        return new BenchResult(options, samples, serverSettings(admin));
      }
    }
  }

  /** One repetition: every operation once on the day, timed. */
  private void pass(
      Database admin,
      AggregationWiring wiring,
      AggregateDayService service,
      LocalDate day,
      Map<String, List<Double>> samples) {
    time(samples, "floor", () -> floor(admin, day));
    time(samples, "peer", () -> peer(admin, day));
    forget(admin, day);
    time(
        samples,
        "full",
        () ->
            expect(
                service.aggregate(day, Trigger.MANUAL, RunOptions.DEFAULT, "bench"),
                Outcome.AGGREGATED));
    time(
        samples,
        "unchanged",
        () ->
            expect(
                service.aggregate(day, Trigger.MANUAL, RunOptions.DEFAULT, "bench"),
                Outcome.UNCHANGED));
    time(samples, "hash", () -> wiring.store().currentSourceHash(day));
    time(
        samples,
        "verify",
        () -> {
          if (!wiring.store().verify(day, wiring.config().verifyTolerance()).passed()) {
            throw new IllegalStateException("verification failed during the benchmark for " + day);
          }
          return null;
        });
  }

  private static Object expect(AttemptReport report, Outcome outcome) {
    if (report.outcome() != outcome) {
      throw new IllegalStateException(
          "expected " + outcome.value() + " but the run ended: " + report.summary());
    }
    return report;
  }

  private static void time(Map<String, List<Double>> samples, String operation, Supplier<?> work) {
    long start = System.nanoTime();
    work.get();
    double ms = (System.nanoTime() - start) / 1e6;
    if (samples.containsKey(operation)) {
      samples.get(operation).add(ms);
    }
  }

  /** The floor: what any aggregation must at least read. */
  private Object floor(Database admin, LocalDate day) {
    return admin.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*), sum(cost_usd) FROM "
                      + RAW.quoted()
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
   * history or bookkeeping.
   */
  private Object peer(Database admin, LocalDate day) {
    return admin.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + PEER
                      + " (day, account_id, model, record_count, cost_total,"
                      + " input_tokens, output_tokens) SELECT ?, account_id, model, count(*),"
                      + " sum(cost_usd), sum(input_tokens), sum(output_tokens) FROM "
                      + RAW.quoted()
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
  private static void forget(Database admin, LocalDate day) {
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
                c.prepareStatement("DELETE FROM " + SCHEMA + "." + table + " WHERE day = ?")) {
              ps.setObject(1, day);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  private void prepare(Database admin, HelixConfig config, Options options) {
    progress.printf(
        "Preparing schemas %s and %s with %,d records a day for %d days...%n",
        SCHEMA, RAW.schema().orElseThrow(), options.recordsPerDay(), options.days());
    admin.autocommit(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + RAW.schema().orElseThrow() + " CASCADE");
          }
          return null;
        });
    SchemaMigrations.migrateOwned(url, SCHEMA, "");
    SchemaMigrations.migrateRaw(url, RAW);
    new UsageGenerator(admin, RAW).generate(FIRST_DAY, options.days(), options.recordsPerDay(), 1);
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
          }
          return null;
        });
  }

  private HelixConfig benchConfig() {
    Map<String, String> env = new HashMap<>(environment);
    env.put(HelixConfig.SCHEMA, SCHEMA);
    env.put(HelixConfig.RAW_TABLE, RAW.toString());
    env.remove(HelixConfig.DATABASE_URL);
    // The PostgreSQL lease, in the bench schema: never items in a real lease table.
    env.remove(HelixConfig.LEASE_TABLE);
    return HelixConfig.fromEnvironment(env);
  }

  private static Map<String, String> serverSettings(Database admin) {
    return admin.autocommit(
        c -> {
          Map<String, String> settings = new LinkedHashMap<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT name, setting FROM pg_settings WHERE name IN ('server_version',"
                          + " 'fsync', 'synchronous_commit', 'max_parallel_workers_per_gather',"
                          + " 'shared_buffers', 'work_mem') ORDER BY name")) {
            while (rs.next()) {
              settings.put(rs.getString(1), rs.getString(2));
            }
          }
          return settings;
        });
  }
}
