package com.helix.aggregation.dynamodb;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Where a DynamoDB client sends its calls, for messages that name the lease store. */
public final class DynamoDbClients {
  private DynamoDbClients() {}

  /**
   * The endpoint the client calls, for error messages: an explicit override, else the SDK's
   * standard setting ({@code aws.endpointUrl} / {@code AWS_ENDPOINT_URL}), else the regional one.
   */
  static String endpoint(DynamoDbClient dynamo) {
    return dynamo
        .serviceClientConfiguration()
        .endpointOverride()
        .map(URI::toString)
        .or(() -> Optional.ofNullable(System.getProperty("aws.endpointUrl")))
        .or(() -> Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")))
        .orElseGet(
            () ->
                "https://dynamodb."
                    + dynamo.serviceClientConfiguration().region()
                    + ".amazonaws.com");
  }
}
