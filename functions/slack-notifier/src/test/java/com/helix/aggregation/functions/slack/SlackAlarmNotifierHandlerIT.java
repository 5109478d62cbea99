package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.helix.aggregation.testing.MotoFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The notifier end to end: AWS's SNS events and our own, the webhook URL in a secret in moto's
 * Secrets Manager read through the real SDK client, and a local HTTP server standing in for Slack.
 * Retries do not wait: the handler's clock and sleeper are a {@link FakeTime}.
 */
class SlackAlarmNotifierHandlerIT {
  static final URI RUNBOOK =
      URI.create("https://github.com/helix/helix-aggregation/blob/main/docs/runbook.md");
  private static final Pattern LINK = Pattern.compile("<([^|>]+)\\|([^>]+)>");

  private final FakeSlack slack = new FakeSlack();
  private final FakeTime time = new FakeTime();
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final AtomicInteger secretReads = new AtomicInteger();

  @AfterEach
  void stopSlack() {
    slack.close();
  }

  @ParameterizedTest
  @Events(folder = "events/slack-notifier/alarms", type = SNSEvent.class)
  void givenAnAlarmFromSns_thenSlackGetsAValidMessageWithTheAlarmsFields(SNSEvent event) {
    handler(secretFor(slack)).handleRequest(event, TestContext.standard());

    FakeSlack.Received request = slack.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo(FakeSlack.SECRET_PATH);
    assertThat(request.contentType()).startsWith("application/json");
    Map<String, Object> payload = request.json();
    SlackPayloads.assertValid(payload);

    Map<String, Object> alarm =
        SlackPayloads.parse(event.getRecords().get(0).getSNS().getMessage());
    String name = (String) alarm.get("AlarmName");
    String newState = (String) alarm.get("NewStateValue");
    String oldState = (String) alarm.get("OldStateValue");
    String changed = (String) alarm.get("StateChangeTime");
    List<String> texts = SlackPayloads.texts(payload);
    assertThat(texts.get(0)).isEqualTo(SlackMessage.emoji(newState) + " " + newState + ": " + name);
    assertThat(texts.get(1))
        .contains(
            "*State:* "
                + SlackMessage.emoji(oldState)
                + " "
                + oldState
                + " → "
                + SlackMessage.emoji(newState)
                + " "
                + newState)
        .contains("*Reason:* " + Mrkdwn.escape((String) alarm.get("NewStateReason")))
        .contains("*Time:* " + changed.substring(0, 10) + " " + changed.substring(11, 19) + " UTC");
    assertThat(links(texts.get(2))).containsKey("Runbook");
    assertThat(links(texts.get(2)).get("Runbook")).startsWith(RUNBOOK.toString());

    assertThat(logLines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line).containsEntry("event", "slack_alarm_posted");
              assertThat(line).containsEntry("alarm_name", name);
              assertThat(line).containsEntry("new_state", newState);
              assertThat(line).containsEntry("attempts", 1);
            });
    assertThat(log()).doesNotContain(FakeSlack.SECRET_PATH);
  }

  @ParameterizedTest
  @Events(folder = "events/slack-notifier/not-alarms", type = SNSEvent.class)
  void givenAnythingElse_thenItIsPostedAsPlainText(SNSEvent event) {
    handler(secretFor(slack)).handleRequest(event, TestContext.standard());

    Map<String, Object> payload = slack.onlyRequest().json();
    SlackPayloads.assertValid(payload);
    SNSEvent.SNS sns = event.getRecords().get(0).getSNS();
    assertThat(SlackPayloads.texts(payload))
        .singleElement()
        .isEqualTo("*" + Mrkdwn.escape(sns.getSubject()) + "*\n" + Mrkdwn.escape(sns.getMessage()));
    assertThat(logLines())
        .singleElement()
        .satisfies(line -> assertThat(line).containsEntry("event", "slack_message_posted"));
  }

  @ParameterizedTest
  @Event(
      value = "events/slack-notifier/not-alarms/malformed-alarm-message.json",
      type = SNSEvent.class)
  void givenAnAlarmMessageCutOffMidJson_thenItIsReportedAsPlainText_notCrashedOn(SNSEvent event) {
    handler(secretFor(slack)).handleRequest(event, TestContext.standard());

    Map<String, Object> payload = slack.onlyRequest().json();
    assertThat(SlackPayloads.blocks(payload))
        .extracting(b -> b.get("type"))
        .containsExactly("section");
    assertThat(SlackPayloads.texts(payload).get(0))
        .startsWith(
            "*ALARM: \"helix-aggregation-stale-yesterday\" in EU (Frankfurt)*\n"
                + "{\"AlarmName\":\"helix-aggregation-stale-yesterday\"")
        .endsWith("Run");
  }

  @ParameterizedTest
  @Event(value = "events/slack-notifier/alarms/helix-ok-transition.json", type = SNSEvent.class)
  void givenAnAlarmWithARegionAndARunbookAnchor_thenItLinksToItsConsolePageAndRunbookSection(
      SNSEvent event) {
    handler(secretFor(slack)).handleRequest(event, TestContext.standard());

    List<String> texts = SlackPayloads.texts(slack.onlyRequest().json());
    assertThat(texts.get(0))
        .isEqualTo(":large_green_circle: OK: helix-aggregation-stale-yesterday");
    assertThat(texts.get(1))
        .contains("*State:* :red_circle: ALARM → :large_green_circle: OK")
        .contains("*Time:* 2026-11-29 00:07:31 UTC")
        .contains("*Region:* eu-central-1")
        .contains("*Description:* Yesterday's aggregate is not verified 26 hours after its end,")
        .doesNotContain("Runbook: #");
    assertThat(links(texts.get(2)))
        .containsExactly(
            Map.entry(
                "CloudWatch",
                "https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1"
                    + "#alarmsV2:alarm/helix-aggregation-stale-yesterday"),
            Map.entry("Runbook", RUNBOOK + "#stale-aggregates"));
  }

  @ParameterizedTest
  @Event(value = "events/slack-notifier/alarms/helix-insufficient-data.json", type = SNSEvent.class)
  void givenAnAlarmNameWithSpacesAndMarkup_andNoRunbookAnchor_thenLinksAreEncodedAndTheBaseIsUsed(
      SNSEvent event) {
    handler(secretFor(slack)).handleRequest(event, TestContext.standard());

    Map<String, Object> payload = slack.onlyRequest().json();
    SlackPayloads.assertValid(payload);
    assertThat(SlackPayloads.texts(payload).get(1))
        .contains("*State:* :large_green_circle: OK → :white_circle: INSUFFICIENT_DATA")
        .contains("*Region:* us-west-2")
        .contains(
            "*Description:* Days that failed for good &amp; poison messages wait in the"
                + " backfill DLQ; see &lt;the runbook&gt;.");
    assertThat(links(SlackPayloads.texts(payload).get(2)))
        .containsExactly(
            Map.entry(
                "CloudWatch",
                "https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2"
                    + "#alarmsV2:alarm/helix%20aggregation%20backfill%20DLQ%20%3Cnot%20empty%3E"
                    + "%20%26%20growing"),
            Map.entry("Runbook", RUNBOOK.toString()));
  }

  @Test
  void givenSlackAnswers500_thenItIsRetriedWithBackoff_andTheInvocationFailsNamingStatusAndHost() {
    slack.answerAlways(500, "", 3);
    SlackAlarmNotifierHandler handler = handler(secretFor(slack));

    assertThatThrownBy(() -> handler.handleRequest(alarmEvent(), TestContext.standard()))
        .isInstanceOf(SlackDeliveryException.class)
        .hasMessage("Slack webhook " + slack.host() + " failed 3 attempts, the last with HTTP 500")
        .hasMessageNotContaining(FakeSlack.SECRET_PATH);
    assertThat(slack.received()).hasSize(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(logLines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line).containsEntry("level", "ERROR");
              assertThat(line).containsEntry("event", "slack_post_failed");
              assertThat(line).containsEntry("attempts", 3);
            });
    assertThat(log()).doesNotContain(FakeSlack.SECRET_PATH);
  }

  @Test
  void givenSlackRecoversOnTheSecondAttempt_thenTheInvocationSucceeds() {
    slack.answer(503, "");
    handler(secretFor(slack)).handleRequest(alarmEvent(), TestContext.standard());

    assertThat(slack.received()).hasSize(2);
    assertThat(logLines().get(0)).containsEntry("attempts", 2);
  }

  @Test
  void givenSlackAnswers400_thenItIsNotRetried_butTheInvocationFails() {
    slack.answer(400, "invalid_payload");
    SlackAlarmNotifierHandler handler = handler(secretFor(slack));

    assertThatThrownBy(() -> handler.handleRequest(alarmEvent(), TestContext.standard()))
        .isInstanceOf(SlackDeliveryException.class)
        .hasMessage(
            "Slack webhook "
                + slack.host()
                + " refused the message with HTTP 400 invalid_payload"
                + " (not retried: the payload or the webhook URL is wrong)");
    assertThat(slack.received()).hasSize(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void givenNothingListensAtTheWebhook_thenConnectFailuresAreRetried_andTheInvocationFails() {
    int closed = MotoFixture.freePort();
    String arn = MotoSecrets.create("http://127.0.0.1:" + closed + FakeSlack.SECRET_PATH);

    assertThatThrownBy(() -> handler(arn).handleRequest(alarmEvent(), TestContext.standard()))
        .isInstanceOf(SlackDeliveryException.class)
        .hasMessageStartingWith(
            "Slack webhook 127.0.0.1:"
                + closed
                + " failed 3 attempts, the last with ConnectException")
        .hasMessageNotContaining(FakeSlack.SECRET_PATH);
    assertThat(time.sleeps()).hasSize(2);
  }

  @Test
  void givenSlackHangs_thenTheAttemptTimesOutWithinTheInvocationsRemainingTime() {
    slack.answer(200, "ok", Duration.ofSeconds(5), null);
    List<Duration> sleeps = new ArrayList<>();
    SlackAlarmNotifierHandler handler =
        new SlackAlarmNotifierHandler(
            new SecretsManagerWebhookUrl(MotoSecrets.client(), secretFor(slack)),
            new JdkHttpSlackPoster(Duration.ofSeconds(1)),
            new RunbookLinks(RUNBOOK),
            Clock.systemUTC(),
            sleeps::add,
            new PrintStream(logged, true, StandardCharsets.UTF_8));
    long started = System.nanoTime();

    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    alarmEvent(), TestContext.withTimeLeft(Duration.ofMillis(3_000))))
        .isInstanceOf(SlackDeliveryException.class)
        .hasMessageContaining("failed 1 attempt with HttpTimeoutException")
        .hasMessageContaining("the invocation ends before a retry");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("the invocation gave up before its time (3 s) was out")
        .isLessThan(Duration.ofMillis(3_000));
    assertThat(sleeps).isEmpty();
  }

  @Test
  void givenManyInvocations_thenTheSecretIsReadOnce_andAgainAfterASnapStartRestore()
      throws Exception {
    SlackAlarmNotifierHandler handler = handler(secretFor(slack));

    for (int i = 0; i < 3; i++) {
      handler.handleRequest(alarmEvent(), TestContext.standard());
    }
    assertThat(secretReads).hasValue(1);

    handler.restoreHook().beforeCheckpoint(null);
    handler.restoreHook().afterRestore(null);
    handler.handleRequest(alarmEvent(), TestContext.standard());

    assertThat(secretReads).hasValue(2);
    assertThat(slack.received()).hasSize(4);
  }

  @Test
  void givenARevokedWebhook_whenTheSecretIsRotated_thenTheRetriedInvocationPostsToTheNewOne() {
    slack.answer(404, "no_service");
    String arn = secretFor(slack);
    SlackAlarmNotifierHandler handler = handler(arn);
    assertThatThrownBy(() -> handler.handleRequest(alarmEvent(), TestContext.standard()))
        .hasMessageContaining("HTTP 404 no_service");

    try (FakeSlack rotated = new FakeSlack()) {
      MotoSecrets.update(arn, rotated.webhookUrl().toString());
      handler.handleRequest(alarmEvent(), TestContext.standard());

      assertThat(rotated.received()).hasSize(1);
    }
    assertThat(secretReads).hasValue(2);
  }

  @ParameterizedTest
  @Event(
      value = "events/slack-notifier/unsupported/03g-cloudwatch-alarm-lambda-action-direct.json",
      type = SNSEvent.class)
  void givenAnAlarmsDirectLambdaAction_thenTheInvocationFailsClearly_andNothingIsRead(
      SNSEvent event) {
    SlackAlarmNotifierHandler handler = handler(secretFor(slack));

    assertThatThrownBy(() -> handler.handleRequest(event, TestContext.standard()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the event has no SNS records: subscribe the notifier to the alarm topic"
                + " (it does not take a CloudWatch alarm's direct Lambda action)");
    assertThat(secretReads).hasValue(0);
    assertThat(slack.received()).isEmpty();
  }

  @Test
  void givenAMissingSecret_thenTheInvocationFailsNamingIt() {
    String arn =
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:helix/absent-" + UUID.randomUUID();

    assertThatThrownBy(() -> handler(arn).handleRequest(alarmEvent(), TestContext.standard()))
        .isInstanceOf(WebhookUrlException.class)
        .hasMessageStartingWith("cannot read the Slack webhook URL from secret " + arn + ": ");
    assertThat(logLines())
        .singleElement()
        .satisfies(line -> assertThat(line).containsEntry("event", "slack_post_failed"));
  }

  @Test
  void givenASecretThatIsJson_thenTheErrorSaysSo_withoutRepeatingIt() {
    String arn = MotoSecrets.create("{\"url\": \"" + slack.webhookUrl() + "\"}");

    assertThatThrownBy(() -> handler(arn).handleRequest(alarmEvent(), TestContext.standard()))
        .isInstanceOf(WebhookUrlException.class)
        .hasMessage(
            "secret " + arn + " holds JSON: its SecretString must be the webhook URL itself");
    assertThat(log()).doesNotContain(FakeSlack.SECRET_PATH);
  }

  @Test
  void givenTheConfigurationConstructor_thenRealClientsReadTheSecretAndPost() {
    SlackAlarmNotifierHandler handler =
        new SlackAlarmNotifierHandler(new SlackNotifierConfig(secretFor(slack), RUNBOOK));

    handler.handleRequest(alarmEvent(), TestContext.standard());

    assertThat(slack.onlyRequest().json()).containsKey("blocks");
  }

  private SlackAlarmNotifierHandler handler(String secretArn) {
    SecretsManagerWebhookUrl secret = new SecretsManagerWebhookUrl(MotoSecrets.client(), secretArn);
    return new SlackAlarmNotifierHandler(
        () -> {
          secretReads.incrementAndGet();
          return secret.webhookUrl();
        },
        new JdkHttpSlackPoster(Duration.ofSeconds(2)),
        new RunbookLinks(RUNBOOK),
        time,
        time,
        new PrintStream(logged, true, StandardCharsets.UTF_8));
  }

  private static SNSEvent alarmEvent() {
    return EventLoader.loadSNSEvent("events/slack-notifier/alarms/helix-ok-transition.json");
  }

  private static String secretFor(FakeSlack slack) {
    return MotoSecrets.create(slack.webhookUrl().toString());
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  private List<Map<String, Object>> logLines() {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String line : log().split("\n")) {
      if (!line.isBlank()) {
        lines.add(SlackPayloads.parse(line));
      }
    }
    return lines;
  }

  /** The links of a mrkdwn text, label to URL (unescaped as Slack reads them). */
  private static Map<String, String> links(String mrkdwn) {
    Map<String, String> links = new LinkedHashMap<>();
    Matcher m = LINK.matcher(mrkdwn);
    while (m.find()) {
      links.put(m.group(2), m.group(1).replace("&amp;", "&"));
    }
    return links;
  }
}
