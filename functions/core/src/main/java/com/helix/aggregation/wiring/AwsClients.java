package com.helix.aggregation.wiring;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS SDK clients, built once per execution environment: the URL-connection HTTP client (a lean
 * artifact, the quickest cold start of the SDK's clients measured here), region and credentials
 * from the standard chain, and the endpoint from the SDK's standard settings ({@code
 * AWS_ENDPOINT_URL}) when one is set. Calls are bounded, so an unreachable service fails a try in
 * seconds rather than a run's whole time budget (the run's transient retry decides how long to keep
 * trying).
 *
 * <p>The clients of a process share one HTTP client and one credentials chain (left to itself, the
 * SDK gives each client its own): one TLS setup rather than three, and after a SnapStart restore,
 * where Lambda serves the credentials from its container endpoint, one fetch of them rather than
 * one per client. Neither is used before the first call, so a snapshot holds no credentials.
 */
public final class AwsClients {
  private AwsClients() {}

  public static DynamoDbClient dynamoDb() {
    return dynamoDb(Shared.HTTP, Shared.CREDENTIALS);
  }

  public static SqsClient sqs() {
    return sqs(Shared.HTTP, Shared.CREDENTIALS);
  }

  public static SecretsManagerClient secretsManager() {
    return secretsManager(Shared.HTTP, Shared.CREDENTIALS);
  }

  /**
   * A Secrets Manager client for the secret {@code secretId}: in the region its ARN names, where
   * the secret is, whatever region the process is configured with (an operator's machine may have
   * none); for a bare name, the configured region.
   */
  public static SecretsManagerClient secretsManagerFor(String secretId) {
    String[] arn = secretId.split(":", 6);
    if (arn.length < 6 || !arn[0].equals("arn") || arn[3].isEmpty()) {
      return secretsManager();
    }
    return secretsManagerBuilder(Shared.HTTP, Shared.CREDENTIALS).region(Region.of(arn[3])).build();
  }

  /**
   * The same clients on another HTTP client and credentials: SnapStart's priming runs their request
   * paths against canned answers, with no network call and no real credentials; the cold-start
   * measurements compare the SDK's HTTP clients.
   */
  public static DynamoDbClient dynamoDb(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return DynamoDbClient.builder()
        .httpClient(http)
        .credentialsProvider(credentials)
        .overrideConfiguration(bounded())
        .build();
  }

  public static SqsClient sqs(SdkHttpClient http, AwsCredentialsProvider credentials) {
    return SqsClient.builder()
        .httpClient(http)
        .credentialsProvider(credentials)
        .overrideConfiguration(bounded())
        .build();
  }

  public static SecretsManagerClient secretsManager(
      SdkHttpClient http, AwsCredentialsProvider credentials) {
    return secretsManagerBuilder(http, credentials).build();
  }

  private static SecretsManagerClientBuilder secretsManagerBuilder(
      SdkHttpClient http, AwsCredentialsProvider credentials) {
    return SecretsManagerClient.builder()
        .httpClient(http)
        .credentialsProvider(credentials)
        .overrideConfiguration(bounded());
  }

  /** Built on first use (the SDK never closes an HTTP client it was given). */
  private static final class Shared {
    static final SdkHttpClient HTTP = http();
    static final AwsCredentialsProvider CREDENTIALS = DefaultCredentialsProvider.builder().build();
  }

  private static SdkHttpClient http() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static ClientOverrideConfiguration bounded() {
    return ClientOverrideConfiguration.builder()
        .apiCallAttemptTimeout(Duration.ofSeconds(5))
        .apiCallTimeout(Duration.ofSeconds(15))
        .build();
  }
}
