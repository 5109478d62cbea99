package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The Flyway migrations: the owned objects ({@code db/owned}, in the configured schema,
 * re-runnable, safe for several databases in one cluster) and, separately, the raw table for the
 * demo, tests and benchmarks ({@code db/raw}; production never gets it from here). Functions never
 * migrate: they check the schema is at the version they were built for and refuse to run otherwise.
 */
public final class SchemaMigrations {
  /** The owned-schema version this build needs; equal to the newest {@code db/owned} file. */
  public static final String OWNED_VERSION = "3";

  private static final String HISTORY_TABLE = "flyway_schema_history";

  private SchemaMigrations() {}

  /** The read-only role of the consumers' read contract (cluster-wide, created if absent). */
  public static final String READER_ROLE = "helix_aggregation_reader";

  /** Migrates the owned schema to {@link #OWNED_VERSION}; returns the migrations applied. */
  public static int migrateOwned(String jdbcUrl, String schema) {
    return migrateOwned(jdbcUrl, schema, READER_ROLE);
  }

  /**
   * Migrates the owned schema, with {@code readerRole} as the consumers' role; an empty role
   * creates and grants nothing outside the schema (the benchmark's throwaway schema).
   */
  public static int migrateOwned(String jdbcUrl, String schema, String readerRole) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(jdbcUrl, null, null)
            .schemas(schema)
            .defaultSchema(schema)
            .createSchemas(true)
            .table(HISTORY_TABLE)
            .locations("classpath:db/owned")
            .placeholders(Map.of("readerRole", readerRole))
            .load()
            .migrate();
    return result.migrationsExecuted;
  }

  /** Creates the raw usage table (demo, tests, benchmarks only). */
  public static void migrateRaw(String jdbcUrl, TableName rawTable) {
    var config =
        Flyway.configure()
            .dataSource(jdbcUrl, null, null)
            .table("helix_raw_schema_history")
            .locations("classpath:db/raw")
            .placeholders(
                Map.of(
                    "rawTable", rawTable.quoted(),
                    "rawTableIndex", TableName.quote(rawTable.name() + "_occurred_at_idx")));
    rawTable.schema().ifPresent(s -> config.schemas(s).defaultSchema(s).createSchemas(true));
    config.load().migrate();
  }

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
              try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?)")) {
                exists.setString(1, history);
                try (ResultSet rs = exists.executeQuery()) {
                  rs.next();
                  if (rs.getString(1) == null) {
                    return null;
                  }
                }
              }
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT version FROM "
                              + history
                              + " WHERE success AND version IS NOT NULL"
                              + " ORDER BY installed_rank DESC LIMIT 1");
                  ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
              }
            });
    if (!OWNED_VERSION.equals(installed)) {
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
                  + OWNED_VERSION
                  + ": run `helix migrate` with this build");
    }
  }
}
