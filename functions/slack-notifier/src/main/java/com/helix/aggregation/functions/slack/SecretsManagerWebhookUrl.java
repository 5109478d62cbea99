package com.helix.aggregation.functions.slack;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads the webhook URL from the SecretString of a Secrets Manager secret, on every call (see
 * {@link CachedWebhookUrl} for the once-per-environment cache). Errors name the secret's ARN, never
 * its value.
 */
public final class SecretsManagerWebhookUrl implements WebhookUrlSource {
  private final SecretsManagerClient secrets;
  private final String secretArn;

  public SecretsManagerWebhookUrl(SecretsManagerClient secrets, String secretArn) {
    this.secrets = secrets;
    this.secretArn = secretArn;
  }

  /**
   * The client of the function: the URL-connection HTTP client (a small artifact, quick cold
   * starts), region, credentials and endpoint from the SDK's standard settings, and bounded calls
   * so an unreachable Secrets Manager fails the invocation in seconds, not at its timeout. Building
   * it makes no network call.
   */
  public static SecretsManagerClient standardClient() {
    return SecretsManagerClient.builder()
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(3)))
        .overrideConfiguration(
            c ->
                c.apiCallAttemptTimeout(Duration.ofSeconds(3))
                    .apiCallTimeout(Duration.ofSeconds(8)))
        .build();
  }

  @Override
  public URI webhookUrl() {
    String value;
    try {
      value = secrets.getSecretValue(r -> r.secretId(secretArn)).secretString();
    } catch (SdkException e) {
      throw new WebhookUrlException(
          "cannot read the Slack webhook URL from secret "
              + secretArn
              + ": "
              + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
    }
    return parse(value);
  }

  private URI parse(String value) {
    String problem;
    if (value == null) {
      problem = "has no SecretString (a binary secret?)";
    } else if (value.strip().startsWith("{")) {
      problem = "holds JSON";
    } else {
      try {
        URI url = new URI(value.strip());
        if (("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
            && url.getHost() != null) {
          return url;
        }
        problem = "does not hold an http(s) URL";
      } catch (URISyntaxException e) {
        problem = "does not hold a URL";
      }
    }
    throw new WebhookUrlException(
        "secret "
            + secretArn
            + " "
            + problem
            + ": its SecretString must be the webhook URL itself");
  }
}
