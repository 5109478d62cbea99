package com.helix.aggregation.wiring;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AggregationSettings;
import com.helix.aggregation.core.BackfillService;
import com.helix.aggregation.core.BackfillSettings;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.RetryPolicy;
import com.helix.aggregation.core.SetupCheck;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.TransientRetry;
import com.helix.aggregation.dynamodb.DynamoDbLeaseProvider;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.DatabaseSetupCheck;
import com.helix.aggregation.postgres.PostgresAggregateStore;
import com.helix.aggregation.postgres.PostgresAttemptLog;
import com.helix.aggregation.postgres.PostgresChangeLog;
import com.helix.aggregation.postgres.PostgresLeaseProvider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * Builds the aggregation for one worker from the configuration: one database session shared by the
 * store, the attempt log and (without a lease table) the PostgreSQL lease. The CLI and the
 * functions wire themselves through here, so they run the same code.
 */
public final class AggregationWiring implements AutoCloseable {
  private final HelixConfig config;
  private final Database database;
  private final Clock clock;
  private final StopSignal stop;
  private final PostgresAggregateStore store;
  private final PostgresAttemptLog attempts;
  private final LeaseProvider leases;
  private final AggregationSettings settings;
  private final TransientRetry retry;
  private final RenewableRandom random;
  private final SetupCheck setup;

  /**
   * @param stop the run's stop request (SIGTERM, Ctrl-C): it ends waits and the day's statement in
   *     progress
   * @param leaseProviders the lease provider for this session: {@link #postgresLeases} unless a
   *     lease table is configured
   */
  public AggregationWiring(
      HelixConfig config,
      ConnectionFactory sessions,
      Clock clock,
      StopSignal stop,
      Function<AggregationWiring, LeaseProvider> leaseProviders) {
    this.config = config;
    this.clock = clock;
    this.stop = stop;
    this.database = new Database(sessions, config.statementTimeout(), stop);
    this.store = new PostgresAggregateStore(database, config.schema(), config.rawTable());
    this.attempts = new PostgresAttemptLog(database, config.schema());
    RetryPolicy policy = RetryPolicy.defaults(config.maxAttempts(), config.transientBudget());
    this.settings =
        new AggregationSettings(policy, config.verifyTolerance(), config.closedPeriodDays());
    // Seeded per wiring, and again after every SnapStart restore: never shared across clones.
    this.random = new RenewableRandom(SecureRandom::new);
    this.retry = new TransientRetry(policy, stop, stop, random, clock);
    this.leases = leaseProviders.apply(this);
    this.setup = new DatabaseSetupCheck(database, config.schema(), config.rawTable(), leases);
  }

  /**
   * The lease the configuration names: the DynamoDB table of {@code HELIX_LEASE_TABLE} when set (a
   * client built here, once per wiring), the PostgreSQL advisory lock otherwise.
   */
  public static LeaseProvider configuredLeases(AggregationWiring wiring) {
    return wiring
        .config
        .leaseTable()
        .<LeaseProvider>map(
            table ->
                new DynamoDbLeaseProvider(
                    AwsClients.dynamoDb(), table, wiring.config.leaseDuration(), wiring.clock))
        .orElseGet(() -> postgresLeases(wiring));
  }

  /** The PostgreSQL advisory-lock lease on this worker's session. */
  public static LeaseProvider postgresLeases(AggregationWiring wiring) {
    return new PostgresLeaseProvider(
        wiring.database, wiring.config.schema(), wiring.config.leaseDuration(), wiring.clock);
  }

  public AggregateDayService aggregateDayService(Metrics metrics, JobLog log) {
    return new AggregateDayService(
        store, attempts, leases, metrics, log, clock, settings, retry, stop, setup);
  }

  /** The local backfill, throttled as configured, through this worker's aggregation. */
  public BackfillService backfillService(Metrics metrics, JobLog log) {
    return new BackfillService(
        aggregateDayService(metrics, log),
        store,
        attempts,
        leases,
        clock,
        stop,
        retry,
        settings.retryPolicy(),
        new BackfillSettings(config.batchSize(), config.batchDelay(), Duration.ofSeconds(2)),
        setup);
  }

  public HelixConfig config() {
    return config;
  }

  public Database database() {
    return database;
  }

  public Clock clock() {
    return clock;
  }

  public StopSignal stop() {
    return stop;
  }

  public PostgresAggregateStore store() {
    return store;
  }

  public PostgresAttemptLog attempts() {
    return attempts;
  }

  /** The opt-in change log of the raw table ({@code helix track-changes}). */
  public PostgresChangeLog changes() {
    return new PostgresChangeLog(database, config.schema(), config.rawTable());
  }

  public LeaseProvider leases() {
    return leases;
  }

  public AggregationSettings settings() {
    return settings;
  }

  public TransientRetry retry() {
    return retry;
  }

  public SetupCheck setup() {
    return setup;
  }

  /** The retry jitter's random generator. */
  public RenewableRandom random() {
    return random;
  }

  /**
   * After a SnapStart restore: the session (if the snapshot had one) is gone, the jitter draws from
   * a newly seeded generator, and the DynamoDB lease forgets the owner ids it remembered.
   */
  public void renewAfterRestore() {
    database.close();
    random.renew();
    if (leases instanceof DynamoDbLeaseProvider dynamoDb) {
      dynamoDb.forgetRememberedOwners();
    }
  }

  @Override
  public void close() {
    database.close();
  }
}
