package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.helix.aggregation.testing.MotoFixture;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The handler exactly as Lambda builds it: the public no-arg constructor, configured by the
 * environment (set for the integration tests in this module's pom.xml), its own Secrets Manager
 * client reaching moto through the SDK's standard endpoint setting.
 */
class SlackAlarmNotifierHandlerFromEnvironmentIT {

  @ParameterizedTest
  @Event(value = "events/slack-notifier/alarms/helix-ok-transition.json", type = SNSEvent.class)
  void givenTheFunctionsEnvironment_thenTheSecretIsReadOnFirstUse_cached_andReadAgainAfterRestore(
      SNSEvent event) throws Exception {
    MotoFixture.endpoint();
    SlackNotifierConfig config = SlackNotifierConfig.fromEnvironment();
    assertThat(config.webhookSecretArn())
        .as("set by failsafe's environmentVariables in pom.xml")
        .endsWith(":secret:helix/slack-webhook-from-environment");

    // Built before the secret exists: the constructor makes no network call.
    SlackAlarmNotifierHandler handler = new SlackAlarmNotifierHandler();

    try (FakeSlack slack = new FakeSlack();
        FakeSlack rotated = new FakeSlack()) {
      // Secrets Manager takes an ARN without its random suffix; moto too.
      MotoSecrets.client()
          .createSecret(
              r ->
                  r.name("helix/slack-webhook-from-environment")
                      .secretString(slack.webhookUrl().toString()));

      handler.handleRequest(event, TestContext.standard());
      handler.handleRequest(event, TestContext.standard());
      MotoSecrets.update(config.webhookSecretArn(), rotated.webhookUrl().toString());
      handler.handleRequest(event, TestContext.standard());

      assertThat(slack.received()).as("the URL read on first use, then cached").hasSize(3);
      assertThat(rotated.received()).isEmpty();

      handler.restoreHook().beforeCheckpoint(null);
      handler.restoreHook().afterRestore(null);
      handler.handleRequest(event, TestContext.standard());

      assertThat(rotated.received()).as("the secret read again after the restore").hasSize(1);
      assertThat(slack.received()).hasSize(3);
    }
  }
}
