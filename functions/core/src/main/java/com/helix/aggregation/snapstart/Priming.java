package com.helix.aggregation.snapstart;

import com.helix.aggregation.config.DatabaseCredentials;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.AttemptStart;
import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.dynamodb.DynamoDbLeaseProvider;
import com.helix.aggregation.emf.EmfMetrics;
import com.helix.aggregation.log.JsonJobLog;
import com.helix.aggregation.secrets.SecretsManagerDatabaseCredentials;
import com.helix.aggregation.sqs.SqsBackfillQueue;
import com.helix.aggregation.wiring.AwsClients;
import com.helix.aggregation.wiring.HelixWiring;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * Runs the code paths of a first invocation that need neither the network nor the database, so that
 * a SnapStart snapshot holds them loaded, initialised and partly compiled: the SDK clients' request
 * paths through this project's own adapters (the DynamoDB lease taken and released, the queue's
 * depth read, the database secret read and parsed) against {@link CannedHttpClient}'s canned
 * answers with throwaway credentials; the JDBC driver and its URL parsing; the job log and the EMF
 * metrics written to nowhere; and the function's own event parsing. Nothing it builds is kept,
 * nothing reaches a real service, and no connection is opened.
 */
final class Priming {
  private static final String SECRET_ARN =
      "arn:aws:secretsmanager:us-east-1:000000000000:secret:helix-priming";
  private static final String QUEUE_URL =
      "https://sqs.us-east-1.amazonaws.com/000000000000/helix-priming.fifo";

  /** The canned answers, in the shape the real services give them. */
  private static final Map<String, String> ANSWERS =
      Map.of(
          "DynamoDB_20120810.UpdateItem",
          "{\"Attributes\":{\"token\":{\"N\":\"1\"}}}",
          "AmazonSQS.GetQueueAttributes",
          "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"0\","
              + "\"ApproximateNumberOfMessagesNotVisible\":\"0\"}}",
          "secretsmanager.GetSecretValue",
          "{\"ARN\":\""
              + SECRET_ARN
              + "\",\"Name\":\"helix-priming\",\"SecretString\":\"{\\\"host\\\":\\\"localhost\\\","
              + "\\\"port\\\":5432,\\\"dbname\\\":\\\"helix\\\",\\\"username\\\":\\\"helix\\\","
              + "\\\"password\\\":\\\"priming\\\"}\"}");

  /** Classes of the driver's connect-and-query path, loaded and initialised without connecting. */
  private static final List<String> DRIVER_CLASSES =
      List.of(
          "org.postgresql.core.v3.ConnectionFactoryImpl",
          "org.postgresql.core.v3.QueryExecutorImpl",
          "org.postgresql.core.PGStream",
          "org.postgresql.core.Parser",
          "org.postgresql.jdbc.PgConnection",
          "org.postgresql.jdbc.PgStatement",
          "org.postgresql.jdbc.PgPreparedStatement",
          "org.postgresql.jdbc.PgResultSet",
          "org.postgresql.jdbc.TypeInfoCache");

  private final HelixWiring wiring;
  private final Runnable eventParsing;

  Priming(HelixWiring wiring, Runnable eventParsing) {
    this.wiring = wiring;
    this.eventParsing = eventParsing;
  }

  void run() {
    eventParsing.run();
    DatabaseCredentials credentials = sdkClients();
    driver(credentials);
    logAndMetrics();
  }

  /** Each client the functions build, on canned answers; returns the parsed priming secret. */
  private DatabaseCredentials sdkClients() {
    CannedHttpClient http = new CannedHttpClient(ANSWERS);
    AwsCredentialsProvider nobody =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
    Clock clock = wiring.clock();
    try (DynamoDbClient dynamo = AwsClients.dynamoDb(http, nobody);
        SqsClient sqs = AwsClients.sqs(http, nobody);
        SecretsManagerClient secrets = AwsClients.secretsManager(http, nobody)) {
      DynamoDbLeaseProvider leases =
          new DynamoDbLeaseProvider(dynamo, "helix-priming", Duration.ofMinutes(1), clock);
      leases.verifyReachable();
      Lease lease = leases.tryAcquire("helix-priming").orElseThrow();
      leases.release(lease);
      new SqsBackfillQueue(sqs, QUEUE_URL, Optional.empty()).depth();
      return new SecretsManagerDatabaseCredentials(secrets, SECRET_ARN, Optional.empty()).get();
    }
  }

  private static void driver(DatabaseCredentials credentials) {
    if (!new org.postgresql.Driver().acceptsURL(credentials.jdbcUrl())) {
      throw new IllegalStateException("the JDBC driver refused the priming URL");
    }
    Properties parsed = org.postgresql.Driver.parseURL(credentials.jdbcUrl(), new Properties());
    if (parsed == null) {
      throw new IllegalStateException("the JDBC driver could not parse the priming URL");
    }
    ClassLoader loader = Priming.class.getClassLoader();
    for (String name : DRIVER_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // a class renamed by a newer driver only costs its warm-up, never the snapshot
      }
    }
  }

  /** One attempt's job log lines and EMF metrics, written to nowhere. */
  private void logAndMetrics() {
    Clock clock = wiring.clock();
    Instant now = clock.instant();
    LocalDate yesterday = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
    AttemptStart start =
        new AttemptStart(
            AggregateDayService.JOB,
            yesterday,
            Trigger.SCHEDULE,
            1,
            1L,
            "helix-priming",
            now,
            "helix-priming");
    AttemptReport report =
        new AttemptReport(
            0,
            start,
            Outcome.UNCHANGED,
            Duration.ZERO,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false);
    JsonJobLog log = new JsonJobLog(new PrintStream(OutputStream.nullOutputStream()), clock);
    log.started(start);
    log.finished(report);
    EmfMetrics metrics = new EmfMetrics(wiring.config().metricsNamespace(), new Discarding());
    metrics.attemptFinished(report);
    metrics.freshness(Optional.of(yesterday), now);
  }

  /** An EMF environment whose sink serialises each context, as Lambda's does, and drops it. */
  private static final class Discarding implements Environment, ISink {
    @Override
    public boolean probe() {
      return true;
    }

    @Override
    public String getName() {
      return "helix-priming";
    }

    @Override
    public String getType() {
      return "AWS::Lambda::Function";
    }

    @Override
    public String getLogGroupName() {
      return "helix-priming";
    }

    @Override
    public void configureContext(MetricsContext context) {}

    @Override
    public ISink getSink() {
      return this;
    }

    @Override
    public void accept(MetricsContext context) {
      try {
        for (String line : context.serialize()) {
          line.getBytes(StandardCharsets.UTF_8);
        }
      } catch (Exception e) {
        throw new IllegalStateException("EMF could not serialise the priming metrics", e);
      }
    }

    @Override
    public CompletableFuture<Void> shutdown() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
