package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The owned schema's version, read with plain SQL from Flyway's history table: a function may never
 * run ahead of (or behind) its schema. The deploy path migrates first (README); a function that
 * finds another version refuses to run.
 */
public final class SchemaVersion {
  /** The owned-schema version this build needs; equal to the newest {@code db/owned} file. */
  public static final String REQUIRED = "7";

  /** Flyway's history table of the owned schema. */
  static final String HISTORY_TABLE = "flyway_schema_history";

  /** The SQLSTATE of a missing table, or of a table in a missing schema. */
  private static final String UNDEFINED_TABLE = "42P01";

  private SchemaVersion() {}

  /**
   * Refuses to run against a schema that is not at the version this build needs: a function may
   * never be ahead of (or behind) its schema.
   *
   * @throws SchemaNotCurrentException naming the versions and the fix
   */
  public static void requireCurrent(Database db, String schema) {
    String history = TableName.quote(schema) + "." + HISTORY_TABLE;
    String installed =
        db.autocommit(
            c -> {
              // One round trip: the history is read directly, and its absence is the answer
              // "not migrated" (every run checks this before its first day).
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT version FROM "
                              + history
                              + " WHERE success AND version IS NOT NULL"
                              + " ORDER BY installed_rank DESC LIMIT 1");
                  ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
              } catch (SQLException e) {
                if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                  return null;
                }
                throw e;
              }
            });
    if (!REQUIRED.equals(installed)) {
      throw new SchemaNotCurrentException(
          installed == null
              ? "schema "
                  + schema
                  + " is not migrated at "
                  + db.describe()
                  + ": run `helix migrate` first"
              : "schema "
                  + schema
                  + " is at version "
                  + installed
                  + " but this build needs version "
                  + REQUIRED
                  + ": run `helix migrate` with this build");
    }
  }
}
