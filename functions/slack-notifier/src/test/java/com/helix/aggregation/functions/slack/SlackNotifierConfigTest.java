package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackNotifierConfigTest {
  private static final String ARN =
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:helix/slack-webhook-AbCdEf";
  private static final String RUNBOOK =
      "https://github.com/helix/helix-aggregation/blob/main/docs/runbook.md";

  @Test
  void givenBothVariables_thenTheyAreRead() {
    SlackNotifierConfig config = SlackNotifierConfig.fromEnvironment(env(ARN, RUNBOOK));

    assertThat(config.webhookSecretArn()).isEqualTo(ARN);
    assertThat(config.runbookUrl()).isEqualTo(URI.create(RUNBOOK));
  }

  @Test
  void givenNoSecretArn_thenTheErrorNamesTheVariable() {
    assertThatThrownBy(() -> SlackNotifierConfig.fromEnvironment(env(null, RUNBOOK)))
        .isInstanceOf(SlackNotifierConfigException.class)
        .hasMessage("HELIX_SLACK_WEBHOOK_SECRET_ARN is not set");
    assertThatThrownBy(() -> SlackNotifierConfig.fromEnvironment(env("  ", RUNBOOK)))
        .hasMessage("HELIX_SLACK_WEBHOOK_SECRET_ARN is not set");
  }

  @Test
  void givenNoRunbookUrl_thenTheErrorNamesTheVariable() {
    assertThatThrownBy(() -> SlackNotifierConfig.fromEnvironment(env(ARN, null)))
        .isInstanceOf(SlackNotifierConfigException.class)
        .hasMessage("HELIX_RUNBOOK_URL is not set");
  }

  @Test
  void givenSomethingOtherThanASecretArn_thenTheErrorNamesTheVariableAndTheValue() {
    assertThatThrownBy(() -> SlackNotifierConfig.fromEnvironment(env("helix/slack", RUNBOOK)))
        .hasMessage(
            "HELIX_SLACK_WEBHOOK_SECRET_ARN must be a Secrets Manager secret ARN"
                + " (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got 'helix/slack'");
  }

  @Test
  void givenTheWebhookUrlItselfInsteadOfTheArn_thenTheErrorDoesNotRepeatIt() {
    String webhook = "https://hooks.slack.com/services/T000/B000/s3cr3t";

    assertThatThrownBy(() -> SlackNotifierConfig.fromEnvironment(env(webhook, RUNBOOK)))
        .hasMessageStartingWith("HELIX_SLACK_WEBHOOK_SECRET_ARN must be a Secrets Manager")
        .hasMessageContaining("got a URL (put the webhook URL into the secret")
        .hasMessageNotContaining("s3cr3t")
        .hasMessageNotContaining("hooks.slack.com");
  }

  @Test
  void givenARunbookUrlThatIsNoHttpUrl_thenTheErrorNamesTheVariable() {
    for (String bad :
        new String[] {"docs/runbook.md", "ftp://example.com/runbook.md", "https://"}) {
      assertThatThrownBy(() -> SlackNotifierConfig.fromEnvironment(env(ARN, bad)))
          .as(bad)
          .isInstanceOf(SlackNotifierConfigException.class)
          .hasMessageStartingWith("HELIX_RUNBOOK_URL ")
          .message()
          .doesNotContain("\n");
    }
  }

  @Test
  void givenARunbookUrlWithAFragment_thenItIsRefused_becauseEachAlarmAddsItsOwnAnchor() {
    assertThatThrownBy(() -> SlackNotifierConfig.fromEnvironment(env(ARN, RUNBOOK + "#alarms")))
        .hasMessageStartingWith(
            "HELIX_RUNBOOK_URL must be the http(s) URL of docs/runbook.md without a #fragment");
  }

  private static Map<String, String> env(String secretArn, String runbookUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("HELIX_SCHEMA", "ignored_here");
    if (secretArn != null) {
      env.put(SlackNotifierConfig.WEBHOOK_SECRET_ARN, secretArn);
    }
    if (runbookUrl != null) {
      env.put(SlackNotifierConfig.RUNBOOK_URL, runbookUrl);
    }
    return env;
  }
}
