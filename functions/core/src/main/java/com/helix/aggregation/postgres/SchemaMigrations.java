package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The Flyway migrations: the owned objects ({@code db/owned}, in the configured schema,
 * re-runnable, safe for several databases in one cluster) and, separately, the raw table for the
 * demo, tests and benchmarks ({@code db/raw}; production never gets it from here). Functions never
 * migrate: they check the schema is at the version they were built for ({@link SchemaVersion}) and
 * refuse to run otherwise; Flyway is not even in their artifacts.
 */
public final class SchemaMigrations {
  /** The owned-schema version this build needs; equal to the newest {@code db/owned} file. */
  public static final String OWNED_VERSION = SchemaVersion.REQUIRED;

  private SchemaMigrations() {}

  /** The read-only role of the consumers' read contract (cluster-wide, created if absent). */
  public static final String READER_ROLE = "helix_aggregation_reader";

  /** Migrates the owned schema to {@link #OWNED_VERSION}; returns the migrations applied. */
  public static int migrateOwned(String jdbcUrl, String schema) {
    return migrateOwned(jdbcUrl, null, null, schema, READER_ROLE);
  }

  /** The same, as a user whose password is not in the URL (the functions' secret). */
  public static int migrateOwned(String jdbcUrl, String user, String password, String schema) {
    return migrateOwned(jdbcUrl, user, password, schema, READER_ROLE);
  }

  /**
   * Migrates the owned schema, with {@code readerRole} as the consumers' role; an empty role
   * creates and grants nothing outside the schema (the benchmark's throwaway schema).
   */
  public static int migrateOwned(String jdbcUrl, String schema, String readerRole) {
    return migrateOwned(jdbcUrl, null, null, schema, readerRole);
  }

  private static int migrateOwned(
      String jdbcUrl, String user, String password, String schema, String readerRole) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(jdbcUrl, user, password)
            .schemas(schema)
            .defaultSchema(schema)
            .createSchemas(true)
            .table(SchemaVersion.HISTORY_TABLE)
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
}
