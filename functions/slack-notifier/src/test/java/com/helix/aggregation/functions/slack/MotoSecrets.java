package com.helix.aggregation.functions.slack;

import com.helix.aggregation.testing.MotoFixture;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets in moto's Secrets Manager, made through the same client the function builds. */
final class MotoSecrets {
  private static SecretsManagerClient client;

  private MotoSecrets() {}

  /** The client, with moto started and the SDK pointed at it. */
  static synchronized SecretsManagerClient client() {
    if (client == null) {
      MotoFixture.endpoint();
      client = SecretsManagerWebhookUrl.standardClient();
    }
    return client;
  }

  /** A new secret with this SecretString; returns its ARN. */
  static String create(String value) {
    return client()
        .createSecret(r -> r.name("helix/slack-webhook-" + UUID.randomUUID()).secretString(value))
        .arn();
  }

  static void update(String arn, String value) {
    client().putSecretValue(r -> r.secretId(arn).secretString(value));
  }
}
