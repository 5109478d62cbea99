package com.helix.aggregation.cli;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.postgres.SchemaVersion;
import com.helix.aggregation.wiring.AggregationWiring;
import com.helix.aggregation.wiring.HelixWiring;

/**
 * A command's wiring on its {@link DatabaseTarget}. A throwaway embedded database is migrated and
 * given an empty raw table; a configured one must already be at this build's schema version.
 */
final class Session implements AutoCloseable {
  final HelixConfig config;
  final AggregationWiring wiring;

  /** The same session with the queue, for the queue-driven backfill and the dead-letter queue. */
  final HelixWiring helix;

  private final DatabaseTarget target;

  private Session(HelixConfig config, DatabaseTarget target, HelixCommand cli) {
    this.config = config;
    this.target = target;
    this.helix =
        new HelixWiring(
            config, target.sessions(config), cli.clock, cli.stop, Metrics.NONE, JobLog.NONE);
    this.wiring = helix.aggregation();
  }

  /**
   * Opens the configured database (and checks its schema unless {@code migrating}).
   *
   * @throws UsageException when no database is configured
   */
  static Session open(HelixCommand cli, DatabaseOptions options, boolean migrating) {
    HelixConfig config = HelixConfig.fromEnvironment(cli.env);
    DatabaseTarget target = DatabaseTarget.open(options, config);
    try {
      target.migrateIfEmbedded(config);
      Session session = new Session(config, target, cli);
      if (!migrating && !target.isEmbedded()) {
        try {
          SchemaVersion.requireCurrent(session.wiring.database(), config.schema());
        } catch (RuntimeException e) {
          session.close();
          throw e;
        }
      }
      return session;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }

  /** Embedded or from the configuration, without the credentials. */
  String describe() {
    return target.describe() + ", schema " + config.schema();
  }

  /** Migrates the owned schema; returns the migrations applied. */
  int migrateOwned() {
    return target.migrateOwned(config.schema());
  }

  @Override
  public void close() {
    wiring.close();
    target.close();
  }
}
