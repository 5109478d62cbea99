package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.ColdStarts;
import com.helix.aggregation.testing.ColdStarts.Scenario;
import com.helix.aggregation.testing.ColdStarts.Variant;
import com.helix.aggregation.testing.LambdaEmulator;
import com.helix.aggregation.testing.MotoFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier's cold start (issue 12): its deployable artifact under the Runtime Interface
 * Emulator with a CloudWatch alarm's SNS notification as its first event, the webhook URL a secret
 * in moto and Slack a local fake; beside the floor, a probe with the notifier's signature that
 * builds only the same Secrets Manager client, idle and with one read of the secret. The template
 * does not declare the notifier yet: it runs with its handler string and the Globals' memory.
 * Prints the table and writes it to {@code target/cold-starts-slack-notifier.md}; asserts only that
 * every invocation was right.
 */
class SlackNotifierColdStartIT {
  private static final Path ARTIFACT = Path.of("target", "slack-notifier.jar");
  private static final String HANDLER =
      SlackAlarmNotifierHandler.class.getName() + "::handleRequest";
  private static final String PROBE =
      SecretsManagerProbeHandler.class.getName() + "::handleRequest";
  private static final String BASELINE = "probe: builds the same Secrets Manager client";

  @TempDir static Path work;
  private static Path probe;
  private static String alarm;
  private static final List<FakeSlack> slacks = new ArrayList<>();

  @BeforeAll
  static void build() throws IOException {
    probe =
        ColdStarts.artifactWith(
            ARTIFACT, work.resolve("probe.jar"), List.of(SecretsManagerProbeHandler.class));
    alarm =
        Files.readString(
            Path.of("target/test-classes/events/slack-notifier/alarms/helix-ok-transition.json"));
  }

  @AfterAll
  static void stopSlacks() {
    slacks.forEach(FakeSlack::close);
  }

  @Test
  void givenAnAlarm_thenTheColdStartIsReportedBesideTheSecretsManagerClientsFloor() {
    List<ColdStarts.Result> results =
        ColdStarts.measure(
            ColdStarts.runs(),
            List.of(
                new Variant(
                    "slack-notifier: one alarm", () -> scenario(ARTIFACT, HANDLER, Map.of())),
                new Variant(BASELINE, () -> scenario(probe, PROBE, Map.of())),
                new Variant(
                    "probe: same client, one read of the secret",
                    () -> scenario(probe, PROBE, Map.of("HELIX_PROBE_CALLS", "true")))));

    ColdStarts.report(
        "slack-notifier cold start", results, BASELINE, "cold-starts-slack-notifier.md");
  }

  private static Scenario scenario(Path artifact, String handler, Map<String, String> extra) {
    FakeSlack slack = new FakeSlack();
    slacks.add(slack);
    Map<String, String> env = new HashMap<>(MotoFixture.environment());
    env.put("HELIX_SLACK_WEBHOOK_SECRET_ARN", MotoSecrets.create(slack.webhookUrl().toString()));
    env.put(
        "HELIX_RUNBOOK_URL",
        "https://github.com/helix/helix-aggregation/blob/main/docs/runbook.md");
    env.putAll(extra);
    return new Scenario(
        LambdaEmulator.builder(artifact, handler)
            .environment(env)
            .functionName("helix-slack-notifier")
            .timeoutSeconds(30),
        alarm,
        alarm,
        (invocation, lambda) -> {
          assertThat(invocation.failed()).as(lambda.log()).isFalse();
          if (artifact.equals(ARTIFACT)) {
            assertThat(slack.received()).as("the alarm reached Slack").isNotEmpty();
          }
        });
  }
}
