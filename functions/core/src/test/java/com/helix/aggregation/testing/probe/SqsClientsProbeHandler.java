package com.helix.aggregation.testing.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.helix.aggregation.wiring.AwsClients;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@link SdkClientsProbeHandler}'s floor with the backfill worker's signature: the runtime reads
 * the event into an {@code SQSEvent} and writes an {@code SQSBatchResponse} with its own
 * serializer, as it does for the worker, so the difference between the two probes is what that
 * serializer costs a cold start.
 */
public final class SqsClientsProbeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final DynamoDbClient dynamo = AwsClients.dynamoDb();
  private final SqsClient sqs = AwsClients.sqs();
  private final SecretsManagerClient secrets = AwsClients.secretsManager();

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    if (dynamo == null || sqs == null || secrets == null || event.getRecords().isEmpty()) {
      throw new IllegalStateException("no clients or no records");
    }
    return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
  }
}
