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

  /** The triggers tracking needs on the raw table, one per kind of write. */
  public static final int TRIGGERS = EVENTS.length;

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
          Instant since;
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT enabled_at, raw_table FROM " + tracking);
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || !rawTable.toString().equals(rs.getString(2))) {
              return Optional.empty();
            }
            since = SqlValues.instant(rs, "enabled_at");
          }
          // dropped triggers would leave a log that no longer sees changes: not to be trusted
          return triggers(c) == TRIGGERS ? Optional.of(since) : Optional.empty();
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

  /** How tracking stands, for {@code helix track-changes status}. */
  public record Status(
      Optional<Instant> enabledAt, int triggers, long pendingEntries, List<LocalDate> dirtyDays) {

    /** On with all its triggers: only then is the log trusted. */
    public boolean complete() {
      return enabledAt.isPresent() && triggers == TRIGGERS;
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
          return new Status(enabled, triggers(c), pending, changedDays(c, LocalDate.MAX));
        });
  }

  /**
   * Puts the triggers on the raw table and records tracking as on, in one transaction (needs the
   * raw table's owner, or the TRIGGER privilege on it). Re-runnable.
   */
  public void enable() {
    db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          boolean wasOn = triggers(c) == TRIGGERS;
          try (Statement s = c.createStatement()) {
            for (String event : EVENTS) {
              s.execute("DROP TRIGGER IF EXISTS " + trigger(event) + " ON " + rawTable.quoted());
              s.execute(
                  "CREATE TRIGGER "
                      + trigger(event)
                      + " AFTER "
                      + event.toUpperCase(java.util.Locale.ROOT)
                      + " ON "
                      + rawTable.quoted()
                      + transitionTables(event)
                      + " FOR EACH STATEMENT EXECUTE FUNCTION "
                      + TableName.quote(schema)
                      + ".log_changed_days()");
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
            for (String event : EVENTS) {
              s.execute("DROP TRIGGER IF EXISTS " + trigger(event) + " ON " + rawTable.quoted());
            }
            s.execute("DELETE FROM " + tracking);
            s.execute("DELETE FROM " + log);
          }
          return null;
        });
  }

  /** The triggers of this schema on the raw table. */
  private int triggers(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname LIKE ?")) {
      ps.setString(1, rawTable.quoted());
      ps.setString(2, "helix_" + schema + "_changed_days_%");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
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
