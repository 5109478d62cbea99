package com.helix.aggregation.testing;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.config.TableName;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.SchemaMigrations;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One test's database: its own owned schema and raw table on the shared test server. Sessions it
 * opens for the code under test run in the session time zone {@code helix.test.sessionZone}
 * (Asia/Kolkata in the build), so nothing may depend on the session zone being UTC.
 */
public final class TestDatabase {
  public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(120);

  private final String url;
  private final String schema;
  private final TableName rawTable;

  TestDatabase(String url, String schema) {
    this.url = url;
    this.schema = schema;
    this.rawTable = new TableName(Optional.of(schema + "_raw"), "usage_records");
  }

  void migrate() {
    SchemaMigrations.migrateOwned(url, schema);
    SchemaMigrations.migrateRaw(url, rawTable);
  }

  public String url() {
    return url;
  }

  /** The URL with an application name, to tell sessions apart in {@code pg_stat_activity}. */
  public String url(String applicationName) {
    return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
  }

  public String schema() {
    return schema;
  }

  public TableName rawTable() {
    return rawTable;
  }

  /** The environment a CLI or function would be configured with for this database. */
  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put(HelixConfig.DATABASE_URL, url);
    env.put(HelixConfig.SCHEMA, schema);
    env.put(HelixConfig.RAW_TABLE, rawTable.toString());
    return env;
  }

  /**
   * Ends a session as a failover or an operator would ({@code pg_terminate_backend}); returns once
   * its backend has exited, so its locks, advisory ones included, are gone.
   */
  public void terminateBackend(long pid) {
    execute("SELECT pg_terminate_backend(" + pid + ", 60000)");
  }

  /** A session factory for code under test, in the configured non-UTC session time zone. */
  public ConnectionFactory sessions() {
    return sessions(url, System.getProperty("helix.test.sessionZone", "Asia/Kolkata"));
  }

  /** A session factory in a given session time zone. */
  public ConnectionFactory sessions(String jdbcUrl, String sessionZone) {
    ConnectionFactory plain = ConnectionFactory.fromUrl(jdbcUrl, STATEMENT_TIMEOUT);
    return () -> {
      Connection c = plain.open();
      try (PreparedStatement ps = c.prepareStatement("SELECT set_config('TimeZone', ?, false)")) {
        ps.setString(1, sessionZone);
        ps.executeQuery().close();
      }
      return c;
    };
  }

  /** A new single-session database handle for code under test (close it). */
  public Database open() {
    return new Database(sessions(), STATEMENT_TIMEOUT);
  }

  /** Runs statements for setup, each in its own transaction. */
  public void execute(String... statements) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql.replace("{schema}", schema).replace("{raw}", rawTable.quoted()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(String.join("; ", statements), e);
    }
  }

  /**
   * Runs a query and returns its rows as ordered column maps. {@code {schema}} and {@code {raw}}
   * stand for the owned schema and the raw table.
   */
  public List<Map<String, Object>> query(String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement(
                sql.replace("{schema}", schema).replace("{raw}", rawTable.quoted()))) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i), rs.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /**
   * Inserts one raw record; {@code occurredAt} is an ISO timestamp with any offset, parsed by
   * PostgreSQL, and {@code cost} a decimal literal, so values arrive exactly as written.
   */
  public void insertRaw(
      long id, String occurredAt, String account, String model, long in, long out, String cost) {
    try (RawWriter writer = rawWriter()) {
      writer.insert(id, occurredAt, account, model, in, out, cost);
    }
  }

  /**
   * A writer of raw records on one session of its own, each insert committed at once: a live
   * application appending records, as fast as its caller asks (no connection per record).
   */
  public RawWriter rawWriter() {
    try {
      Connection c = DriverManager.getConnection(url);
      try {
        return new RawWriter(
            c,
            c.prepareStatement(
                "INSERT INTO "
                    + rawTable.quoted()
                    + " (id, occurred_at, account_id, model, input_tokens, output_tokens,"
                    + " cost_usd) VALUES (?, ?::timestamptz, ?, ?, ?, ?, ?::numeric)"));
      } catch (SQLException e) {
        c.close(); // no session left open behind a failed writer
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("open a raw writer", e);
    }
  }

  /** See {@link #rawWriter()}. */
  public static final class RawWriter implements AutoCloseable {
    private final Connection session;
    private final PreparedStatement insert;

    private RawWriter(Connection session, PreparedStatement insert) {
      this.session = session;
      this.insert = insert;
    }

    /** Inserts and commits one raw record, with values as {@link #insertRaw} takes them. */
    public void insert(
        long id, String occurredAt, String account, String model, long in, long out, String cost) {
      try {
        insert.setLong(1, id);
        insert.setString(2, occurredAt);
        insert.setString(3, account);
        insert.setString(4, model);
        insert.setLong(5, in);
        insert.setLong(6, out);
        insert.setString(7, cost);
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException("insert raw record " + id, e);
      }
    }

    @Override
    public void close() {
      try {
        session.close();
      } catch (SQLException e) {
        throw new IllegalStateException("close a raw writer", e);
      }
    }
  }

  /** The single value of a one-row, one-column query. */
  public Object value(String sql, Object... params) {
    List<Map<String, Object>> rows = query(sql, params);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
    }
    return rows.get(0).values().iterator().next();
  }

  public long count(String sql, Object... params) {
    return ((Number) value(sql, params)).longValue();
  }

  public BigDecimal decimal(String sql, Object... params) {
    Object v = value(sql, params);
    return v == null ? null : new BigDecimal(v.toString());
  }

  /**
   * A fingerprint of every owned table: the rows with their physical identity ({@code ctid}, {@code
   * xmin}), so any write, even one that rewrites identical values, changes it.
   */
  public String ownedTablesFingerprint() {
    StringBuilder all = new StringBuilder();
    for (String table :
        List.of(
            "daily_aggregates",
            "daily_aggregate_breakdown",
            "daily_aggregate_history",
            "daily_aggregate_breakdown_history",
            "job_runs",
            "day_states")) {
      all.append(table)
          .append(
              query(
                  "SELECT md5(coalesce(string_agg(t::text || ctid::text || xmin::text, '|'"
                      + " ORDER BY t::text), '')) AS h FROM {schema}."
                      + table
                      + " t"))
          .append('\n');
    }
    return all.toString();
  }
}
