package com.helix.aggregation.cli;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.Sleeper;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.SchemaMigrations;
import com.helix.aggregation.wiring.AggregationWiring;

/**
 * A command's connection to its database, from the configuration: {@code HELIX_DATABASE_URL}, or a
 * throwaway embedded PostgreSQL when {@code --embedded} was given. An operator must never "succeed"
 * against a throwaway database by accident, so one of the two is required.
 */
final class Session implements AutoCloseable {
  final HelixConfig config;
  final String url;
  final AggregationWiring wiring;
  private final EmbeddedDatabase embedded;

  private Session(HelixConfig config, String url, EmbeddedDatabase embedded, HelixCommand cli) {
    this.config = config;
    this.url = url;
    this.embedded = embedded;
    this.wiring =
        new AggregationWiring(
            config,
            ConnectionFactory.fromUrl(url, config.statementTimeout()),
            cli.clock,
            Sleeper.SYSTEM,
            AggregationWiring::configuredLeases);
  }

  /**
   * Opens the configured database (and checks its schema unless {@code migrating}).
   *
   * @throws UsageException when no database is configured
   */
  static Session open(HelixCommand cli, DatabaseOptions options, boolean migrating) {
    HelixConfig config = HelixConfig.fromEnvironment(cli.env);
    if (options.embedded) {
      EmbeddedDatabase embedded = EmbeddedDatabase.start();
      try {
        SchemaMigrations.migrateOwned(embedded.url(), config.schema());
        SchemaMigrations.migrateRaw(embedded.url(), config.rawTable());
        return new Session(config, embedded.url(), embedded, cli);
      } catch (RuntimeException e) {
        embedded.close();
        throw e;
      }
    }
    String url =
        config
            .databaseUrl()
            .orElseThrow(
                () ->
                    new UsageException(
                        "no database configured: set "
                            + HelixConfig.DATABASE_URL
                            + " (a jdbc:postgresql:// URL) or pass --embedded for a throwaway one"));
    Session session = new Session(config, url, null, cli);
    if (!migrating) {
      try {
        SchemaMigrations.requireCurrent(session.wiring.database(), config.schema());
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
    return session;
  }

  /** Embedded or from the configuration, without the credentials. */
  String describe() {
    return (embedded != null ? "embedded PostgreSQL " : "")
        + ConnectionFactory.redact(url)
        + ", schema "
        + config.schema();
  }

  @Override
  public void close() {
    wiring.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
