package com.helix.aggregation.testing.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.helix.aggregation.wiring.AwsClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The floor the aggregation functions' cold starts are measured against: a handler that builds only
 * the SDK clients they build during initialization (DynamoDB for the lease, SQS for the backfill
 * queue, Secrets Manager for the database secret), through the same {@link AwsClients}, and answers
 * {@code {}}. It runs from a copy of the function's own artifact with this class added, so the
 * class path, the SDK and its configuration are the function's.
 *
 * <p>With {@code HELIX_PROBE_CALLS=true} it also makes one call per client on each invocation (the
 * secret, a lease item, the queue's attributes), the floor of a first event that uses them; with
 * {@code HELIX_PROBE_LAZY=true} it builds the clients on the first invocation instead; with {@code
 * HELIX_PROBE_HTTP} naming a {@code Supplier<SdkHttpClient>} class in the artifact, each client
 * gets its own HTTP client from it (and the default credentials chain, as {@link AwsClients} does).
 */
public final class SdkClientsProbeHandler implements RequestStreamHandler {
  private final boolean calls = Boolean.parseBoolean(System.getenv("HELIX_PROBE_CALLS"));
  private DynamoDbClient dynamo;
  private SqsClient sqs;
  private SecretsManagerClient secrets;

  public SdkClientsProbeHandler() {
    if (!Boolean.parseBoolean(System.getenv("HELIX_PROBE_LAZY"))) {
      buildClients();
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    if (dynamo == null) {
      buildClients();
    }
    if (calls) {
      secrets.getSecretValue(g -> g.secretId(System.getenv("HELIX_DB_SECRET_ARN")));
      dynamo.getItem(
          g ->
              g.tableName(System.getenv("HELIX_LEASE_TABLE"))
                  .key(Map.of("lock_key", AttributeValue.fromS("probe"))));
      sqs.getQueueAttributes(
          g ->
              g.queueUrl(System.getenv("HELIX_BACKFILL_QUEUE_URL"))
                  .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
    output.write("{}".getBytes(StandardCharsets.UTF_8));
  }

  private void buildClients() {
    String http = System.getenv("HELIX_PROBE_HTTP");
    if (http == null) {
      dynamo = AwsClients.dynamoDb();
      sqs = AwsClients.sqs();
      secrets = AwsClients.secretsManager();
      return;
    }
    Supplier<SdkHttpClient> clients = httpClients(http);
    if (Boolean.parseBoolean(System.getenv("HELIX_PROBE_SHARED"))) {
      SdkHttpClient shared = clients.get();
      DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
      dynamo = AwsClients.dynamoDb(shared, credentials);
      sqs = AwsClients.sqs(shared, credentials);
      secrets = AwsClients.secretsManager(shared, credentials);
      return;
    }
    dynamo = AwsClients.dynamoDb(clients.get(), DefaultCredentialsProvider.builder().build());
    sqs = AwsClients.sqs(clients.get(), DefaultCredentialsProvider.builder().build());
    secrets =
        AwsClients.secretsManager(clients.get(), DefaultCredentialsProvider.builder().build());
  }

  @SuppressWarnings("unchecked")
  private static Supplier<SdkHttpClient> httpClients(String className) {
    try {
      return (Supplier<SdkHttpClient>)
          Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no HTTP client supplier " + className, e);
    }
  }
}
