package com.helix.aggregation.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client once per execution environment: the URL-connection HTTP client (a lean
 * artifact, quick cold starts), region and credentials from the standard chain, and the endpoint
 * from the SDK's standard settings ({@code AWS_ENDPOINT_URL}) when one is set. Calls are bounded,
 * so an unreachable lock service fails an attempt in seconds rather than its whole time budget.
 */
public final class DynamoDbClients {
  private DynamoDbClients() {}

  public static DynamoDbClient standard() {
    return DynamoDbClient.builder()
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5)))
        .overrideConfiguration(
            c ->
                c.apiCallAttemptTimeout(Duration.ofSeconds(5))
                    .apiCallTimeout(Duration.ofSeconds(15)))
        .build();
  }

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
