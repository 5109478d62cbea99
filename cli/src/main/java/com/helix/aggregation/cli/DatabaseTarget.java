package com.helix.aggregation.cli;

import com.helix.aggregation.config.DatabaseCredentials;
import com.helix.aggregation.config.DatabaseUrls;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.SchemaMigrations;
import com.helix.aggregation.secrets.SecretsManagerDatabaseCredentials;
import com.helix.aggregation.wiring.HelixWiring;
import java.util.Map;

/**
 * The PostgreSQL a command works on, the first of: a throwaway embedded one ({@code --embedded}),
 * {@code HELIX_DATABASE_URL}, the functions' own secret ({@code HELIX_DB_SECRET_ARN}, read from
 * Secrets Manager as the functions read it: an RDS Proxy endpoint replaces its host, a refused
 * password reads it again). An operator must never "succeed" against a throwaway database by
 * accident, so one of them is required.
 */
final class DatabaseTarget implements AutoCloseable {
  private final String url;
  private final SecretsManagerDatabaseCredentials secret;
  private final EmbeddedDatabase embedded;

  private DatabaseTarget(
      String url, SecretsManagerDatabaseCredentials secret, EmbeddedDatabase embedded) {
    this.url = url;
    this.secret = secret;
    this.embedded = embedded;
  }

  /**
   * @throws UsageException when none is configured
   */
  static DatabaseTarget open(DatabaseOptions options, HelixConfig config) {
    return open(options, config, Map.of());
  }

  /**
   * @param embeddedSettings server settings for an embedded database (a configured one is used as
   *     it is)
   */
  static DatabaseTarget open(
      DatabaseOptions options, HelixConfig config, Map<String, String> embeddedSettings) {
    if (options.embedded) {
      EmbeddedDatabase embedded = EmbeddedDatabase.start(embeddedSettings);
      return new DatabaseTarget(embedded.url(), null, embedded);
    }
    if (config.databaseUrl().isPresent()) {
      return new DatabaseTarget(config.databaseUrl().get(), null, null);
    }
    String arn =
        config
            .dbSecretArn()
            .orElseThrow(
                () ->
                    new UsageException(
                        "no database configured: set "
                            + HelixConfig.DATABASE_URL
                            + " (a jdbc:postgresql:// URL) or "
                            + HelixConfig.DB_SECRET_ARN
                            + " (the functions' secret), or pass --embedded for a throwaway one"));
    return new DatabaseTarget(null, HelixWiring.databaseSecret(arn, config), null);
  }

  ConnectionFactory sessions(HelixConfig config) {
    return secret == null
        ? ConnectionFactory.fromUrl(url, config.statementTimeout())
        : HelixWiring.sessions(secret, config);
  }

  /** Migrates the owned schema; returns the migrations applied. */
  int migrateOwned(String schema) {
    if (secret == null) {
      return SchemaMigrations.migrateOwned(url, schema);
    }
    DatabaseCredentials credentials = secret.get();
    return SchemaMigrations.migrateOwned(
        credentials.jdbcUrl(), credentials.user(), credentials.password(), schema);
  }

  /**
   * The JDBC URL, for a command that must not run on the functions' database (the benchmark writes
   * schemas and millions of rows of its own).
   *
   * @throws UsageException when the target is the functions' secret
   */
  String url(String command) {
    if (secret != null) {
      throw new UsageException(
          command
              + " refuses "
              + HelixConfig.DB_SECRET_ARN
              + " (the functions' database): set "
              + HelixConfig.DATABASE_URL
              + " or pass --embedded");
    }
    return url;
  }

  /** A throwaway embedded database gets the owned schema and an empty raw table. */
  void migrateIfEmbedded(HelixConfig config) {
    if (embedded != null) {
      SchemaMigrations.migrateOwned(url, config.schema());
      SchemaMigrations.migrateRaw(url, config.rawTable());
    }
  }

  boolean isEmbedded() {
    return embedded != null;
  }

  /** Where, without the password. */
  String describe() {
    if (secret != null) {
      return secret.get() + " (secret " + secret.arn() + ")";
    }
    return (isEmbedded() ? "embedded PostgreSQL " : "") + DatabaseUrls.redact(url);
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
    if (secret != null) {
      secret.close();
    }
  }
}
