package com.helix.aggregation.wiring;

import com.helix.aggregation.config.ConfigException;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.BackfillSettings;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.queue.BackfillQueue;
import com.helix.aggregation.core.queue.BackfillQueueWorker;
import com.helix.aggregation.core.queue.BackfillRequests;
import com.helix.aggregation.core.queue.DeadLetterService;
import com.helix.aggregation.core.queue.QueuedBackfillService;
import com.helix.aggregation.core.schedule.ScheduledRunService;
import com.helix.aggregation.emf.EmfMetrics;
import com.helix.aggregation.log.JsonJobLog;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.PostgresBackfillRequests;
import com.helix.aggregation.secrets.SecretsManagerDatabaseCredentials;
import com.helix.aggregation.sqs.SqsBackfillQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What one process builds once (a function per execution environment, a command line per run): the
 * configuration, the AWS clients, and the aggregation on one database session that is opened on
 * first use, never during initialization (a SnapStart snapshot must not hold a connection). A
 * function's database is {@code HELIX_DATABASE_URL} when set (local use), else the secret of {@code
 * HELIX_DB_SECRET_ARN}.
 */
public final class HelixWiring {
  private final HelixConfig config;
  private final Clock clock;
  private final AggregationWiring aggregation;
  private SqsClient sqs;
  private final Metrics metrics;
  private final JobLog log;
  private final Runnable forgetDatabaseSecret;

  /**
   * @param sessions the database (the command line's target, or {@link #sessions(HelixConfig)})
   * @param stop the run's stop request
   */
  public HelixWiring(
      HelixConfig config,
      ConnectionFactory sessions,
      Clock clock,
      StopSignal stop,
      Metrics metrics,
      JobLog log) {
    this(config, new FunctionDatabase(sessions, () -> {}), clock, stop, metrics, log);
  }

  private HelixWiring(
      HelixConfig config,
      FunctionDatabase database,
      Clock clock,
      StopSignal stop,
      Metrics metrics,
      JobLog log) {
    ConnectionFactory sessions = database.sessions();
    this.forgetDatabaseSecret = database.forgetSecret();
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.log = log;
    this.aggregation =
        new AggregationWiring(config, sessions, clock, stop, AggregationWiring::configuredLeases);
    if (config.backfillQueueUrl().isPresent()) {
      this.sqs = AwsClients.sqs(); // a function's client is built during initialization
    }
  }

  /** A function's wiring from its environment: metrics as EMF, the job log as JSON lines. */
  public static HelixWiring fromEnvironment(Map<String, String> env, Clock clock) {
    HelixConfig config = HelixConfig.fromEnvironment(env);
    return new HelixWiring(
        config,
        functionDatabase(config),
        clock,
        new StopSignal(),
        new EmfMetrics(config.metricsNamespace()),
        new JsonJobLog(System.out, clock));
  }

  public static HelixWiring fromEnvironment() {
    return fromEnvironment(System.getenv(), Clock.systemUTC());
  }

  /** The backfill worker's use case: the queue, its dead-letter queue, the request log. */
  public BackfillQueueWorker backfillWorker() {
    return new BackfillQueueWorker(
        aggregation.aggregateDayService(metrics, log),
        aggregation.attempts(),
        queue(),
        requests(),
        aggregation.setup(),
        aggregation.retry(),
        aggregation.stop(),
        clock,
        aggregation.settings().retryPolicy(),
        new BackfillSettings(config.batchSize(), config.batchDelay(), Duration.ofSeconds(2)));
  }

  /**
   * The scheduled aggregator's use case; without a backfill queue the days a run had no time for
   * are left to the next run, and permanently failed days are only counted.
   */
  public ScheduledRunService scheduledRuns() {
    boolean queued = config.backfillQueueUrl().isPresent();
    return new ScheduledRunService(
        aggregation.aggregateDayService(metrics, log),
        aggregation.store(),
        aggregation.attempts(),
        aggregation.changes(),
        queued && config.backfillDlqUrl().isPresent() ? Optional.of(queue()) : Optional.empty(),
        queued ? Optional.of(queuedBackfills()) : Optional.empty(),
        aggregation.setup(),
        aggregation.retry(),
        metrics,
        clock,
        config.lookbackDays());
  }

  public QueuedBackfillService queuedBackfills() {
    return new QueuedBackfillService(
        queue(),
        requests(),
        aggregation.attempts(),
        aggregation.retry(),
        aggregation.stop(),
        clock);
  }

  public DeadLetterService deadLetters() {
    return new DeadLetterService(
        queue(), queuedBackfills(), aggregation.attempts(), aggregation.retry());
  }

  /**
   * @throws ConfigException when {@code HELIX_BACKFILL_QUEUE_URL} is not set
   */
  public BackfillQueue queue() {
    String url =
        config
            .backfillQueueUrl()
            .orElseThrow(() -> new ConfigException(HelixConfig.BACKFILL_QUEUE_URL + " is not set"));
    if (sqs == null) {
      sqs = AwsClients.sqs();
    }
    return new SqsBackfillQueue(sqs, url, config.backfillDlqUrl(), clock);
  }

  public BackfillRequests requests() {
    return new PostgresBackfillRequests(aggregation.database(), config.schema());
  }

  public AggregationWiring aggregation() {
    return aggregation;
  }

  public HelixConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Before a SnapStart checkpoint: the snapshot must hold no database session (it would be dead in
   * every clone) and no secret (it may be rotated before a clone starts).
   */
  public void releaseForCheckpoint() {
    aggregation.database().close();
    forgetDatabaseSecret.run();
  }

  /**
   * After a SnapStart restore: the session and the secret are established again on first use, and
   * what must differ per clone is renewed (see {@link AggregationWiring#renewAfterRestore()}).
   */
  public void renewAfterRestore() {
    forgetDatabaseSecret.run();
    aggregation.renewAfterRestore();
  }

  /**
   * A function's database: the URL for local use, else the secret; neither is a configuration
   * error.
   */
  public static ConnectionFactory sessions(HelixConfig config) {
    return functionDatabase(config).sessions();
  }

  /** A function's sessions, and how to forget the secret they were opened with (if any). */
  private record FunctionDatabase(ConnectionFactory sessions, Runnable forgetSecret) {}

  private static FunctionDatabase functionDatabase(HelixConfig config) {
    if (config.databaseUrl().isPresent()) {
      return new FunctionDatabase(
          ConnectionFactory.fromUrl(config.databaseUrl().get(), config.statementTimeout()),
          () -> {});
    }
    String arn =
        config
            .dbSecretArn()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "no database configured: set "
                            + HelixConfig.DB_SECRET_ARN
                            + " (or "
                            + HelixConfig.DATABASE_URL
                            + " for local use)"));
    SecretsManagerDatabaseCredentials credentials = databaseSecret(arn, config);
    return new FunctionDatabase(sessions(credentials, config), credentials::forget);
  }

  /**
   * The database secret {@code arn} ({@code HELIX_DB_SECRET_ARN}) as the functions and the command
   * line read it: from the secret's own region, an RDS Proxy endpoint in place of its host.
   */
  public static SecretsManagerDatabaseCredentials databaseSecret(String arn, HelixConfig config) {
    return new SecretsManagerDatabaseCredentials(
        AwsClients.secretsManagerFor(arn), arn, config.dbProxyEndpoint());
  }

  /** Sessions on a secret's credentials; a refused password reads the secret again (rotation). */
  public static ConnectionFactory sessions(
      SecretsManagerDatabaseCredentials secret, HelixConfig config) {
    return ConnectionFactory.fromCredentials(
        secret,
        secret::forget,
        "the database of secret " + secret.arn(),
        config.statementTimeout());
  }
}
