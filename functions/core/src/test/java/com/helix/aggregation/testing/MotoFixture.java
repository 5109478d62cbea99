package com.helix.aggregation.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS emulator of a test run: moto in server mode, from the project's virtual environment
 * ({@code tools/python/setup-venv.sh}, run by the build), started once per JVM on a free loopback
 * port. It serves one request at a time ({@code tools/python/moto_server_atomic.py}): moto's own
 * threaded server does not apply DynamoDB conditional writes atomically, real DynamoDB does. The
 * SDK reaches it only through its standard endpoint setting: the system property {@code
 * aws.endpointUrl} in this JVM, {@code AWS_ENDPOINT_URL} in child processes. Never the internet.
 */
public final class MotoFixture {
  private static String endpoint;
  private static Process server;

  private MotoFixture() {}

  /** Starts moto if needed and points the SDK at it; returns the endpoint URL. */
  public static synchronized String endpoint() {
    if (endpoint == null) {
      Path root = Path.of(System.getProperty("helix.root", "../.."));
      Path python = root.resolve(".venv/bin/python");
      Path launcher = root.resolve("tools/python/moto_server_atomic.py");
      if (!Files.isExecutable(root.resolve(".venv/bin/moto_server"))) {
        throw new IllegalStateException(
            "moto is not installed in "
                + root.resolve(".venv")
                + ": run tools/python/setup-venv.sh (the Maven build does)");
      }
      int port = freePort();
      try {
        // In the module's build directory: kept for a failure's post-mortem, gone with mvn clean.
        Path log =
            Files.createTempFile(Files.createDirectories(Path.of("target")), "moto-", ".log");
        server =
            new ProcessBuilder(
                    python.toString(), launcher.toString(), "127.0.0.1", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start moto", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> server.destroy()));
      awaitListening(port, Duration.ofSeconds(60));
      endpoint = "http://127.0.0.1:" + port;
      environment().forEach(MotoFixture::setStandardProperty);
    }
    return endpoint;
  }

  /**
   * The standard AWS environment for a child process (or a function) that must reach moto:
   * endpoint, region and dummy credentials.
   */
  public static Map<String, String> environment() {
    return Map.of(
        "AWS_ENDPOINT_URL", endpoint(),
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing");
  }

  /** A client configured only by the SDK's standard settings. */
  public static DynamoDbClient dynamo() {
    endpoint();
    return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** A Secrets Manager client configured only by the SDK's standard settings. */
  public static SecretsManagerClient secretsManager() {
    endpoint();
    return SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** An SQS client configured only by the SDK's standard settings. */
  /** A new secret in moto's Secrets Manager with this SecretString; returns its ARN. */
  public static String createSecret(String value) {
    try (SecretsManagerClient secrets = secretsManager()) {
      return secrets
          .createSecret(s -> s.name("helix/test-" + UUID.randomUUID()).secretString(value))
          .arn();
    }
  }

  /** Puts a new version of the secret (as a rotation does). */
  public static void putSecret(String arn, String value) {
    try (SecretsManagerClient secrets = secretsManager()) {
      secrets.putSecretValue(p -> p.secretId(arn).secretString(value));
    }
  }

  public static SqsClient sqs() {
    endpoint();
    return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** A backfill queue and its dead-letter queue, as the template declares them. */
  public record BackfillQueues(String queueUrl, String deadLetterUrl) {
    /** The environment a function or the CLI needs to use them. */
    public Map<String, String> environment() {
      return Map.of("HELIX_BACKFILL_QUEUE_URL", queueUrl, "HELIX_BACKFILL_DLQ_URL", deadLetterUrl);
    }
  }

  /**
   * Creates a FIFO backfill queue with its FIFO dead-letter queue (maxReceiveCount 5), named afresh
   * for one test.
   */
  public static BackfillQueues createBackfillQueues() {
    String name = "backfill-" + UUID.randomUUID().toString().substring(0, 8);
    try (SqsClient sqs = sqs()) {
      String dlq =
          sqs.createQueue(
                  q ->
                      q.queueName(name + "-dlq.fifo")
                          .attributes(
                              Map.of(
                                  QueueAttributeName.FIFO_QUEUE, "true",
                                  QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")))
              .queueUrl();
      String dlqArn =
          sqs.getQueueAttributes(a -> a.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
              .attributes()
              .get(QueueAttributeName.QUEUE_ARN);
      String queue =
          sqs.createQueue(
                  q ->
                      q.queueName(name + ".fifo")
                          .attributes(
                              Map.of(
                                  QueueAttributeName.FIFO_QUEUE, "true",
                                  QueueAttributeName.VISIBILITY_TIMEOUT, "5400",
                                  QueueAttributeName.REDRIVE_POLICY,
                                      "{\"deadLetterTargetArn\":\""
                                          + dlqArn
                                          + "\",\"maxReceiveCount\":\"5\"}")))
              .queueUrl();
      return new BackfillQueues(queue, dlq);
    }
  }

  /** A client of an endpoint where nothing listens: the lock service is down. */
  public static DynamoDbClient unreachableDynamo(int closedPort) {
    endpoint();
    return DynamoDbClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
        .build();
  }

  /** Creates a lease table with the template's key schema; returns its name. */
  public static String createLeaseTable() {
    String name = "leases-" + UUID.randomUUID();
    try (DynamoDbClient dynamo = dynamo()) {
      dynamo.createTable(
          t ->
              t.tableName(name)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("lock_key")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName("lock_key")
                          .keyType(KeyType.HASH)
                          .build()));
    }
    return name;
  }

  /** A loopback port where nothing listens. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void setStandardProperty(String variable, String value) {
    String property =
        switch (variable) {
          case "AWS_ENDPOINT_URL" -> "aws.endpointUrl";
          case "AWS_REGION" -> "aws.region";
          case "AWS_ACCESS_KEY_ID" -> "aws.accessKeyId";
          case "AWS_SECRET_ACCESS_KEY" -> "aws.secretAccessKey";
          default -> throw new IllegalArgumentException(variable);
        };
    System.setProperty(property, value);
  }

  private static void awaitListening(int port, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!server.isAlive()) {
        throw new IllegalStateException("moto exited with " + server.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException("moto did not listen on port " + port + " within " + timeout);
  }
}
