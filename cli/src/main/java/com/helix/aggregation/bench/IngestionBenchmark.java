package com.helix.aggregation.bench;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.PostgresChangeLog;
import com.helix.aggregation.postgres.SqlValues;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What change tracking costs the application's writers (issue 12): the same inserts into the raw
 * table without tracking, with the statement-level triggers of {@code helix track-changes} ({@link
 * PostgresChangeLog}), and, for the choice of design, with three variants: the same once per day
 * and transaction, and two row-level ones. Each sample inserts the same number of rows in one of
 * three ways, each statement (or batch) committed on its own with {@code synchronous_commit = on},
 * into today or into a past day:
 *
 * <ul>
 *   <li>{@code multirow}: INSERTs of 1,000 rows each;
 *   <li>{@code jdbc_batch}: JDBC batches of 1,000 single-row INSERTs (addBatch/executeBatch, one
 *       transaction per batch);
 *   <li>{@code single}: single-row INSERTs, each its own transaction.
 * </ul>
 *
 * The variants take turns, in {@link #ROUNDS} rounds per repetition and in an order that rotates,
 * so drift of the machine affects all alike. Figures are milliseconds per 1,000 rows. The log is
 * emptied between samples and the inserted rows are deleted at the end.
 */
final class IngestionBenchmark {
  static final int ROWS_PER_STATEMENT = 1000;

  /**
   * Rounds of every variant per kind, day and repetition, each with a share of the rows: short
   * samples taken in turn make the medians robust to the bursts of a busy machine.
   */
  static final int ROUNDS = 4;

  /** How rows are sent. */
  enum Kind {
    MULTIROW,
    JDBC_BATCH,
    SINGLE;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The triggers on the raw table while a sample runs. */
  enum Tracking {
    /** No trigger. */
    OFF,
    /** {@code helix track-changes enable}: statement-level with transition tables. */
    STATEMENT,
    /**
     * The same, but a day already logged by this transaction is not logged again (the days logged
     * are kept in a transaction-local setting): a log row per day and transaction.
     */
    STATEMENT_ONCE_PER_TRANSACTION,
    /** AFTER INSERT ... FOR EACH ROW: a log row per inserted row. */
    ROW,
    /**
     * BEFORE INSERT ... FOR EACH ROW WHEN the row's day is not yet logged by this transaction: a
     * log row per day and transaction, as above.
     */
    ROW_ONCE_PER_TRANSACTION;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String VARIANT_TRIGGER = TableName.quote("helix_bench_variant_changed_days");
  private static final String STATEMENT_ONCE_FUNCTION =
      BenchData.SCHEMA + ".log_changed_days_once()";
  private static final String ROW_FUNCTION = BenchData.SCHEMA + ".log_changed_day_of_row()";
  private static final String ROW_ONCE_FUNCTION = BenchData.SCHEMA + ".log_changed_day_once()";

  /** The row's UTC day as ",days since 1970,": cheap, and no day's key contains another's. */
  private static final String DAY_KEY =
      "',' || ((NEW.occurred_at AT TIME ZONE INTERVAL '0')::date - DATE '1970-01-01') || ','";

  private static final String[] MODELS = {
    "gpt-large", "gpt-small", "embed-1", "vision-2", "audio-3", "code-4"
  };

  private final String url;
  private final HelixConfig config;
  private final Clock clock;
  private final PrintStream progress;
  private final SplittableRandom random = new SplittableRandom(12);
  private long nextId;
  private long todayOffsetMs;

  IngestionBenchmark(String url, HelixConfig config, Clock clock, PrintStream progress) {
    this.url = url;
    this.config = config;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * Measures every kind, day and tracking variant {@code repeat} times; returns the settings the
   * writers ran with.
   *
   * @param rows rows per multi-row and batched kind, day and repetition, shared by the rounds (a
   *     tenth of it for single-row inserts)
   */
  Map<String, String> run(int repeat, int rows, AggregationBenchmark.Samples samples) {
    try (Database admin = new Database(plain(), config.statementTimeout());
        Database writer = new Database(durableWrites(), config.statementTimeout())) {
      Map<String, String> settings = writerSettings(writer);
      progress.printf(
          "Ingestion: %,d rows per variant and repetition in %d rounds (%,d single-row),"
              + " fsync=%s, synchronous_commit=%s, %d repetition(s)...%n",
          rows,
          ROUNDS,
          Math.max(1, rows / 10),
          settings.get("fsync"),
          settings.get("synchronous_commit"),
          repeat);
      if (!"on".equals(settings.get("fsync"))) {
        progress.println(
            "  warning: fsync is off on this server: commits are not flushed, so tracking's share"
                + " of an insert looks larger than it is (helix bench --embedded runs with fsync"
                + " on)");
      }
      PostgresChangeLog changes = new PostgresChangeLog(admin, BenchData.SCHEMA, BenchData.RAW);
      createVariantFunctions(admin);
      long firstId = maxId(admin) + 1;
      nextId = firstId;
      LocalDate today = UtcDay.today(clock);
      LocalDate past = BenchData.FIRST_DAY.plusDays(1);
      Tracking[] variants = Tracking.values();
      try {
        for (int rep = 0; rep < repeat; rep++) {
          for (Kind kind : Kind.values()) {
            for (LocalDate day : List.of(today, past)) {
              String dayKey = day.equals(today) ? "today" : "past";
              int n =
                  kind == Kind.SINGLE
                      ? Math.max(1, rows / 10 / ROUNDS)
                      : Math.max(ROWS_PER_STATEMENT, rows / ROUNDS);
              for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < variants.length; i++) {
                  Tracking tracking = variants[(i + rep + round) % variants.length];
                  use(admin, changes, tracking);
                  double ms = insert(writer, kind, day, n);
                  samples.add(
                      "ingest_" + kind.key() + "_" + dayKey + "_" + tracking.key(), ms * 1000 / n);
                }
              }
            }
          }
          progress.printf("Ingestion repetition %d/%d done%n", rep + 1, repeat);
        }
      } finally {
        use(admin, changes, Tracking.OFF);
        cleanUp(admin, firstId);
      }
      return settings;
    }
  }

  /** Puts the variant's triggers on the raw table (and only them), with an empty log. */
  private static void use(Database admin, PostgresChangeLog changes, Tracking tracking) {
    changes.disable();
    admin.autocommit(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "DROP TRIGGER IF EXISTS " + VARIANT_TRIGGER + " ON " + BenchData.RAW.quoted());
            s.execute("TRUNCATE " + BenchData.SCHEMA + ".changed_days");
            if (tracking == Tracking.STATEMENT_ONCE_PER_TRANSACTION) {
              s.execute(
                  "CREATE TRIGGER "
                      + VARIANT_TRIGGER
                      + " AFTER INSERT ON "
                      + BenchData.RAW.quoted()
                      + " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
                      + STATEMENT_ONCE_FUNCTION);
            } else if (tracking == Tracking.ROW) {
              s.execute(
                  "CREATE TRIGGER "
                      + VARIANT_TRIGGER
                      + " AFTER INSERT ON "
                      + BenchData.RAW.quoted()
                      + " FOR EACH ROW EXECUTE FUNCTION "
                      + ROW_FUNCTION);
            } else if (tracking == Tracking.ROW_ONCE_PER_TRANSACTION) {
              // BEFORE, so that each row's WHEN sees the days the rows before it logged.
              s.execute(
                  "CREATE TRIGGER "
                      + VARIANT_TRIGGER
                      + " BEFORE INSERT ON "
                      + BenchData.RAW.quoted()
                      + " FOR EACH ROW WHEN (strpos(coalesce(current_setting('helix.logged_days',"
                      + " true), ''), "
                      + DAY_KEY
                      + ") = 0) EXECUTE FUNCTION "
                      + ROW_ONCE_FUNCTION);
            }
          }
          return null;
        });
    if (tracking == Tracking.STATEMENT) {
      changes.enable();
    }
  }

  /**
   * The variants' functions, written like the statement-level one of {@code helix track-changes}
   * (SECURITY DEFINER, a pinned search_path), so the comparison is of the designs alone. The
   * transaction-local setting is gone at commit and undone with a rolled-back savepoint, as the log
   * rows written meanwhile are.
   */
  private static void createVariantFunctions(Database admin) {
    String log = BenchData.SCHEMA + ".changed_days";
    admin.autocommit(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE OR REPLACE FUNCTION "
                    + STATEMENT_ONCE_FUNCTION
                    + " RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                    + " SET search_path = pg_catalog, pg_temp AS $$"
                    + " DECLARE logged text := coalesce(current_setting('helix.logged_days', true),"
                    + " ''); known text := logged; d int;"
                    + " BEGIN FOR d IN SELECT DISTINCT (occurred_at AT TIME ZONE INTERVAL '0')::date"
                    + " - DATE '1970-01-01' FROM new_rows LOOP"
                    + " IF strpos(logged, ',' || d || ',') = 0 THEN INSERT INTO "
                    + log
                    + " (day) VALUES (DATE '1970-01-01' + d); logged := logged || ',' || d || ',';"
                    + " END IF; END LOOP;"
                    + " IF logged <> known THEN"
                    + " PERFORM set_config('helix.logged_days', logged, true); END IF;"
                    + " RETURN NULL; END $$");
            s.execute(
                "CREATE OR REPLACE FUNCTION "
                    + ROW_FUNCTION
                    + " RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                    + " SET search_path = pg_catalog, pg_temp AS $$ BEGIN INSERT INTO "
                    + log
                    + " (day) VALUES ((NEW.occurred_at AT TIME ZONE INTERVAL '0')::date);"
                    + " RETURN NULL; END $$");
            s.execute(
                "CREATE OR REPLACE FUNCTION "
                    + ROW_ONCE_FUNCTION
                    + " RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                    + " SET search_path = pg_catalog, pg_temp AS $$ BEGIN INSERT INTO "
                    + log
                    + " (day) VALUES ((NEW.occurred_at AT TIME ZONE INTERVAL '0')::date);"
                    + " PERFORM set_config('helix.logged_days',"
                    + " coalesce(current_setting('helix.logged_days', true), '') || "
                    + DAY_KEY
                    + ", true);"
                    + " RETURN NEW; END $$");
          }
          return null;
        });
  }

  /** Inserts {@code rows} rows into the day; returns the milliseconds it took. */
  private double insert(Database writer, Kind kind, LocalDate day, int rows) {
    return writer.autocommit(
        c -> {
          long start = System.nanoTime();
          switch (kind) {
            case MULTIROW -> multiRow(c, day, rows);
            case JDBC_BATCH -> batches(c, day, rows);
            case SINGLE -> singleRows(c, day, rows);
          }
          return (System.nanoTime() - start) / 1e6;
        });
  }

  private void multiRow(Connection c, LocalDate day, int rows) throws SQLException {
    StringBuilder sql = new StringBuilder(insertInto()).append(" VALUES ");
    for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int done = 0; done < rows; done += ROWS_PER_STATEMENT) {
        int n = Math.min(ROWS_PER_STATEMENT, rows - done);
        if (n < ROWS_PER_STATEMENT) {
          singleRows(c, day, n);
          break;
        }
        for (int i = 0; i < n; i++) {
          bind(ps, 7 * i + 1, day);
        }
        ps.executeUpdate();
      }
    }
  }

  private void batches(Connection c, LocalDate day, int rows) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(insertInto() + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (int done = 0; done < rows; done += ROWS_PER_STATEMENT) {
        int n = Math.min(ROWS_PER_STATEMENT, rows - done);
        for (int i = 0; i < n; i++) {
          bind(ps, 1, day);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private void singleRows(Connection c, LocalDate day, int rows) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(insertInto() + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < rows; i++) {
        bind(ps, 1, day);
        ps.executeUpdate();
      }
    }
  }

  private static String insertInto() {
    return "INSERT INTO "
        + BenchData.RAW.quoted()
        + " (id, occurred_at, account_id, model, input_tokens, output_tokens, cost_usd)";
  }

  /**
   * One record: today's arrive in time order (an application appending), a past day's at random
   * moments of that day (late data).
   */
  private void bind(PreparedStatement ps, int index, LocalDate day) throws SQLException {
    Instant at;
    if (day.equals(UtcDay.today(clock))) {
      todayOffsetMs = (todayOffsetMs + 1) % 86_400_000L;
      at = UtcDay.start(day).plusMillis(todayOffsetMs);
    } else {
      at = UtcDay.start(day).plusMillis(random.nextLong(86_400_000L));
    }
    long in = 20 + random.nextLong(8000);
    long out = 7 + random.nextLong(1100);
    ps.setLong(index, nextId++);
    ps.setObject(index + 1, SqlValues.timestamptz(at));
    ps.setString(index + 2, String.format(Locale.ROOT, "acct-%04d", random.nextInt(200)));
    ps.setString(index + 3, MODELS[random.nextInt(MODELS.length)]);
    ps.setLong(index + 4, in);
    ps.setLong(index + 5, out);
    ps.setBigDecimal(index + 6, BigDecimal.valueOf(random.nextLong(1_000_000_000L), 10));
  }

  private static long maxId(Database admin) {
    return admin.autocommit(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("SELECT coalesce(max(id), 0) FROM " + BenchData.RAW.quoted())) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Leaves the raw table as generated and drops the variants' functions. */
  private static void cleanUp(Database admin, long firstId) {
    admin.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM " + BenchData.RAW.quoted() + " WHERE id >= ?")) {
            ps.setLong(1, firstId);
            ps.executeUpdate();
          }
          try (Statement s = c.createStatement()) {
            s.execute("DROP FUNCTION IF EXISTS " + STATEMENT_ONCE_FUNCTION);
            s.execute("DROP FUNCTION IF EXISTS " + ROW_FUNCTION);
            s.execute("DROP FUNCTION IF EXISTS " + ROW_ONCE_FUNCTION);
            s.execute("VACUUM (ANALYZE) " + BenchData.RAW.quoted());
          }
          return null;
        });
  }

  /** The settings the writers' sessions run with. */
  private static Map<String, String> writerSettings(Database writer) {
    return writer.autocommit(
        c -> {
          Map<String, String> settings = new LinkedHashMap<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
                          + " current_setting('wal_sync_method')")) {
            rs.next();
            settings.put("fsync", rs.getString(1));
            settings.put("synchronous_commit", rs.getString(2));
            settings.put("wal_sync_method", rs.getString(3));
          }
          settings.put("rows_per_statement", String.valueOf(ROWS_PER_STATEMENT));
          return settings;
        });
  }

  private ConnectionFactory plain() {
    return ConnectionFactory.fromUrl(url, config.statementTimeout());
  }

  /** Writers' sessions: every commit waits for its WAL flush, whatever the server's default. */
  private ConnectionFactory durableWrites() {
    ConnectionFactory plain = plain();
    return () -> {
      Connection c = plain.open();
      try (Statement s = c.createStatement()) {
        s.execute("SET synchronous_commit = on");
      }
      return c;
    };
  }
}
