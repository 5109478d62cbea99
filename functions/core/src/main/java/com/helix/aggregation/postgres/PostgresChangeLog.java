package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.ChangeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The change log on PostgreSQL: the SQL of {@code changed_days} and {@code change_tracking}, and
 * the triggers on the raw table that write the log ({@code helix track-changes}).
 *
 * <p>The triggers are statement-level with transition tables: a statement logs each UTC day it
 * touched once, however many rows it wrote, so a bulk load of a thousand rows costs one log row.
 * Row-level triggers were measured against it ({@code helix bench}) and cost a log insert per row.
 */
public final class PostgresChangeLog implements ChangeLog {
  private static final String[] EVENTS = {"insert", "update", "delete", "truncate"};

  /** The triggers tracking needs on each table (the raw table and its partitions). */
  public static final int TRIGGERS = EVENTS.length;

  /**
   * The raw table and its partitions at every level (two parameters: the raw table, twice); {@code
   * pg_partition_tree} alone is empty for a table that is not partitioned.
   */
  private static final String TREE =
      "(SELECT relid, level FROM (SELECT to_regclass(?) AS relid, 0 AS level UNION SELECT relid,"
          + " level FROM pg_partition_tree(to_regclass(?))) r WHERE relid IS NOT NULL)";

  /**
   * This schema's triggers on the raw table and its partitions that fire for every write ({@code
   * present}), and how many it needs ({@code needed}: four per table). Only a trigger enabled
   * ALWAYS ({@code tgenabled = 'A'}) counts: one disabled for a bulk load ({@code ALTER TABLE ...
   * DISABLE TRIGGER}), or re-enabled the default way, which does not fire for writes under {@code
   * session_replication_role = replica} (logical replication's apply, some loaders), would leave
   * writes unlogged; until {@code track-changes enable} runs again, runs hash every day.
   */
  private static final String TRIGGER_COUNTS =
      "SELECT count(g.oid) AS present, count(DISTINCT t.relid) * "
          + TRIGGERS
          + " AS needed FROM "
          + TREE
          + " t LEFT JOIN pg_trigger g ON g.tgrelid = t.relid AND g.tgname LIKE ?"
          + " AND g.tgenabled = 'A'";

  private final Database db;
  private final String schema;
  private final TableName rawTable;
  private final String log;
  private final String tracking;

  public PostgresChangeLog(Database db, String schema, TableName rawTable) {
    this.db = db;
    this.schema = schema;
    this.rawTable = rawTable;
    this.log = TableName.quote(schema) + ".changed_days";
    this.tracking = TableName.quote(schema) + ".change_tracking";
  }

  @Override
  public Optional<Instant> trackedSince() {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT t.enabled_at, t.raw_table, k.present, k.needed FROM "
                      + tracking
                      + " t CROSS JOIN ("
                      + TRIGGER_COUNTS
                      + ") k")) {
            bindTriggerCounts(ps);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next() || !rawTable.toString().equals(rs.getString("raw_table"))) {
                return Optional.empty();
              }
              // dropped triggers would leave a log that no longer sees changes: not to be trusted
              return isComplete(new int[] {rs.getInt("present"), rs.getInt("needed")})
                  ? Optional.of(SqlValues.instant(rs, "enabled_at"))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<LocalDate> changedDays(LocalDate before) {
    return db.autocommit(c -> changedDays(c, before));
  }

  private List<LocalDate> changedDays(Connection c, LocalDate before) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT DISTINCT day FROM " + log + " WHERE day < ? ORDER BY day")) {
      ps.setObject(1, before);
      List<LocalDate> days = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          days.add(rs.getObject(1, LocalDate.class));
        }
      }
      return days;
    }
  }

  /**
   * Consumes the day's entries that this transaction's snapshot sees, inside the aggregation's
   * transaction: what it did not see (a write committed after its snapshot) stays logged.
   */
  void consume(Connection c, LocalDate day) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + log + " WHERE day = ?")) {
      ps.setObject(1, day);
      ps.executeUpdate();
    }
  }

  /**
   * How tracking stands, for {@code helix track-changes status}: {@code triggers} of the {@code
   * neededTriggers} (four per table: the raw table and each of its partitions) are in place.
   */
  public record Status(
      Optional<Instant> enabledAt,
      int triggers,
      int neededTriggers,
      long pendingEntries,
      List<LocalDate> dirtyDays) {

    /** On with all its triggers: only then is the log trusted. */
    public boolean complete() {
      return enabledAt.isPresent() && triggers == neededTriggers && neededTriggers > 0;
    }
  }

  public Status status() {
    return db.autocommit(
        c -> {
          Optional<Instant> enabled;
          try (PreparedStatement ps = c.prepareStatement("SELECT enabled_at FROM " + tracking);
              ResultSet rs = ps.executeQuery()) {
            enabled =
                rs.next() ? Optional.of(SqlValues.instant(rs, "enabled_at")) : Optional.empty();
          }
          long pending;
          try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + log);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            pending = rs.getLong(1);
          }
          int[] triggers = triggers(c);
          return new Status(
              enabled, triggers[0], triggers[1], pending, changedDays(c, LocalDate.MAX));
        });
  }

  /**
   * Puts the triggers on the raw table and on each of its partitions, and records tracking as on,
   * in one transaction (needs the owner of the tables). Re-runnable: run it again after adding a
   * partition. Statement-level triggers fire only for the table a statement names, so a write
   * straight into a partition is logged by the partition's own triggers, one through the parent by
   * the parent's.
   */
  public void enable() {
    db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          boolean wasOn = isComplete(triggers(c));
          try (Statement s = c.createStatement()) {
            for (String table : tables(c)) {
              for (String event : EVENTS) {
                s.execute("DROP TRIGGER IF EXISTS " + trigger(event) + " ON " + table);
                s.execute(
                    "CREATE TRIGGER "
                        + trigger(event)
                        + " AFTER "
                        + event.toUpperCase(Locale.ROOT)
                        + " ON "
                        + table
                        + transitionTables(event)
                        + " FOR EACH STATEMENT EXECUTE FUNCTION "
                        + TableName.quote(schema)
                        + ".log_changed_days()");
                s.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + trigger(event));
              }
            }
          }
          // The start is the moment the triggers are in place, not the transaction's start:
          // creating them waited for every writer that had begun before (CREATE TRIGGER's lock
          // conflicts with theirs), so no untracked write commits after it. A day verified
          // before it may have missed a write and is hashed before it is trusted.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + tracking
                      + " (raw_table, enabled_at) VALUES (?, clock_timestamp())"
                      + " ON CONFLICT (singleton) DO UPDATE SET raw_table = excluded.raw_table,"
                      // enabling again while fully on keeps the start: the log saw everything
                      + " enabled_at = CASE WHEN ? AND change_tracking.raw_table ="
                      + " excluded.raw_table THEN change_tracking.enabled_at"
                      + " ELSE excluded.enabled_at END")) {
            ps.setString(1, rawTable.toString());
            ps.setBoolean(2, wasOn);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Drops the triggers and the log; runs hash again. */
  public void disable() {
    db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          try (Statement s = c.createStatement()) {
            for (String table : tables(c)) {
              for (String event : EVENTS) {
                s.execute("DROP TRIGGER IF EXISTS " + trigger(event) + " ON " + table);
              }
            }
            s.execute("DELETE FROM " + tracking);
            s.execute("DELETE FROM " + log);
          }
          return null;
        });
  }

  /** The raw table and its partitions at every level, quoted, the raw table first. */
  private List<String> tables(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT format('%I.%I', n.nspname, k.relname) FROM "
                + TREE
                + " t JOIN pg_class k ON k.oid = t.relid JOIN pg_namespace n ON n.oid ="
                + " k.relnamespace ORDER BY t.level, 1")) {
      ps.setString(1, rawTable.quoted());
      ps.setString(2, rawTable.quoted());
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      return tables;
    }
  }

  /**
   * The triggers of this schema on the raw table and its partitions, and how many it needs (four
   * per table): {present, needed}.
   */
  private int[] triggers(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TRIGGER_COUNTS)) {
      bindTriggerCounts(ps);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new int[] {rs.getInt("present"), rs.getInt("needed")};
      }
    }
  }

  /** The parameters of {@link #TRIGGER_COUNTS}: the raw table twice, this schema's names. */
  private void bindTriggerCounts(PreparedStatement ps) throws SQLException {
    ps.setString(1, rawTable.quoted());
    ps.setString(2, rawTable.quoted());
    ps.setString(3, "helix\\_" + schema.replace("_", "\\_") + "\\_changed\\_days\\_%");
  }

  private static boolean isComplete(int[] triggers) {
    return triggers[1] > 0 && triggers[0] == triggers[1];
  }

  private String trigger(String event) {
    return TableName.quote("helix_" + schema + "_changed_days_" + event);
  }

  private static String transitionTables(String event) {
    return switch (event) {
      case "insert" -> " REFERENCING NEW TABLE AS new_rows";
      case "update" -> " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows";
      case "delete" -> " REFERENCING OLD TABLE AS old_rows";
      default -> "";
    };
  }
}
