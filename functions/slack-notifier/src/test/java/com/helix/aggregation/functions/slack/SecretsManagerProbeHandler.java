package com.helix.aggregation.functions.slack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The floor the notifier's cold start is measured against: a handler with the notifier's signature
 * that builds only the SDK client it builds (Secrets Manager, the same {@link
 * SecretsManagerWebhookUrl#standardClient()}) and does nothing else; with {@code
 * HELIX_PROBE_CALLS=true} it also reads the webhook secret once per invocation.
 */
public final class SecretsManagerProbeHandler implements RequestHandler<SNSEvent, Void> {
  private final SecretsManagerClient secrets = SecretsManagerWebhookUrl.standardClient();

  @Override
  public Void handleRequest(SNSEvent event, Context context) {
    if (Boolean.parseBoolean(System.getenv("HELIX_PROBE_CALLS"))) {
      secrets.getSecretValue(g -> g.secretId(System.getenv("HELIX_SLACK_WEBHOOK_SECRET_ARN")));
    }
    return null;
  }
}
