package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackMessageTest {
  private static final URI RUNBOOK =
      URI.create("https://github.com/helix/helix-aggregation/blob/main/docs/runbook.md");

  @Test
  void givenAnAlarmBackToOk_thenTheMessageShowsNameStatesReasonTimeRegionAndLinks() {
    CloudWatchAlarm alarm =
        new CloudWatchAlarm(
            "helix-aggregation-stale-yesterday",
            "Yesterday is not verified. Runbook: #stale-aggregates",
            "OK",
            "ALARM",
            "Threshold Crossed: 26 out of the last 26 datapoints were not greater than 1.0.",
            "2026-11-29T00:07:31.518+0000",
            "EU (Frankfurt)",
            "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:helix-aggregation-stale-yesterday");

    Map<String, Object> payload =
        SlackPayloads.parse(
            SlackMessage.forAlarm(alarm, URI.create(RUNBOOK + "#stale-aggregates")).toJson());

    SlackPayloads.assertValid(payload);
    assertThat(payload.get("text"))
        .isEqualTo(":large_green_circle: OK: helix-aggregation-stale-yesterday (was ALARM)");
    List<String> texts = SlackPayloads.texts(payload);
    assertThat(texts.get(0))
        .isEqualTo(":large_green_circle: OK: helix-aggregation-stale-yesterday");
    assertThat(texts.get(1))
        .isEqualTo(
            "*State:* :red_circle: ALARM → :large_green_circle: OK\n"
                + "*Reason:* Threshold Crossed: 26 out of the last 26 datapoints were not greater"
                + " than 1.0.\n"
                + "*Time:* 2026-11-29 00:07:31 UTC\n"
                + "*Region:* eu-central-1\n"
                + "*Description:* Yesterday is not verified.");
    assertThat(texts.get(2))
        .isEqualTo(
            "<https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1"
                + "#alarmsV2:alarm/helix-aggregation-stale-yesterday|CloudWatch>  ·  <"
                + RUNBOOK
                + "#stale-aggregates|Runbook>");
  }

  @ParameterizedTest
  @CsvSource({
    "ALARM, :red_circle:",
    "OK, :large_green_circle:",
    "INSUFFICIENT_DATA, :white_circle:",
    "SOMETHING_NEW, :grey_question:"
  })
  void givenEachState_thenItHasItsEmoji(String state, String emoji) {
    assertThat(SlackMessage.emoji(state)).isEqualTo(emoji);
  }

  @Test
  void givenMarkupInAnAlarm_thenEveryMrkdwnTextIsEscaped_andThePlainHeaderIsNot() {
    CloudWatchAlarm alarm =
        new CloudWatchAlarm(
            "DLQ <not empty> & <!channel>",
            "Poison & failed days <see runbook>",
            "ALARM",
            "OK",
            "1 > 0 & <@U123> was here",
            "",
            "",
            "arn:aws:cloudwatch:us-west-2:123456789012:alarm:DLQ <not empty> & <!channel>");

    Map<String, Object> payload =
        SlackPayloads.parse(SlackMessage.forAlarm(alarm, RUNBOOK).toJson());

    SlackPayloads.assertValid(payload);
    assertThat(SlackPayloads.texts(payload).get(0))
        .isEqualTo(":red_circle: ALARM: DLQ <not empty> & <!channel>");
    assertThat(payload.get("text"))
        .isEqualTo(":red_circle: ALARM: DLQ &lt;not empty&gt; &amp; &lt;!channel&gt; (was OK)");
    assertThat(SlackPayloads.texts(payload).get(1))
        .contains("*Reason:* 1 &gt; 0 &amp; &lt;@U123&gt; was here")
        .contains("*Description:* Poison &amp; failed days &lt;see runbook&gt;")
        .contains("*Time:* unknown");
  }

  @Test
  void givenAHugeReasonAndALongName_thenTheMessageStaysWithinSlacksLimits() {
    String name = "n".repeat(255);
    CloudWatchAlarm alarm =
        new CloudWatchAlarm(
            name,
            "&".repeat(5000),
            "ALARM",
            "OK",
            "<".repeat(20_000),
            "",
            "",
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + name);

    Map<String, Object> payload =
        SlackPayloads.parse(SlackMessage.forAlarm(alarm, RUNBOOK).toJson());

    SlackPayloads.assertValid(payload);
    assertThat(SlackPayloads.texts(payload).get(1)).contains("… (truncated)");
  }

  @Test
  void givenAnythingElse_thenItIsPostedAsSubjectAndText() {
    SnsNotification notification =
        new SnsNotification(
            "id", "arn:aws:sns:us-east-1:123456789012:topic", "TestInvoke", "Hello from SNS!");

    Map<String, Object> payload = SlackPayloads.parse(SlackMessage.forText(notification).toJson());

    SlackPayloads.assertValid(payload);
    assertThat(payload.get("text")).isEqualTo("TestInvoke");
    assertThat(SlackPayloads.texts(payload)).containsExactly("*TestInvoke*\nHello from SNS!");
  }

  @Test
  void givenNoSubject_thenTheTopicNamesTheMessage() {
    SnsNotification notification =
        new SnsNotification("id", "arn:aws:sns:us-east-1:123456789012:helix-alarms", "", "hi");

    assertThat(SlackMessage.forText(notification).text()).isEqualTo("SNS message on helix-alarms");
  }

  @Test
  void givenAHugeOrHostileText_thenItIsEscapedAndCut() {
    String message = "<!here> & " + "x".repeat(10_000) + "😀".repeat(2000);
    SnsNotification notification =
        new SnsNotification("id", "arn:aws:sns:us-east-1:123456789012:t", "a < b", message);

    Map<String, Object> payload = SlackPayloads.parse(SlackMessage.forText(notification).toJson());

    SlackPayloads.assertValid(payload);
    String section = SlackPayloads.texts(payload).get(0);
    assertThat(section).startsWith("*a &lt; b*\n&lt;!here&gt; &amp; xxx").endsWith("… (truncated)");
  }

  @Test
  void givenTextCutInsideAnEmoji_thenNoHalfCharacterIsLeft() {
    String cut = Mrkdwn.fit("😀".repeat(100), 52);

    assertThat(cut).endsWith("… (truncated)").hasSizeLessThanOrEqualTo(52);
    assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf('…') - 1))).isFalse();
  }
}
