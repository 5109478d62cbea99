package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudWatchAlarmTest {

  @Test
  void givenAwsSampleAlarmMessage_thenEveryFieldIsRead() throws IOException {
    CloudWatchAlarm alarm =
        CloudWatchAlarm.parse(resource("messages/03c-cloudwatch-alarm-message-single-metric.json"))
            .orElseThrow();

    assertThat(alarm.name()).isEqualTo("EXAMPLE");
    assertThat(alarm.description()).isEqualTo("EXAMPLE");
    assertThat(alarm.newState()).isEqualTo("ALARM");
    assertThat(alarm.oldState()).isEqualTo("INSUFFICIENT_DATA");
    assertThat(alarm.reason()).startsWith("Threshold Crossed: 1 out of the last 1 datapoints");
    assertThat(alarm.changedAt()).contains(Instant.parse("2015-06-03T17:43:27.123Z"));
    assertThat(alarm.alarmArn())
        .isEqualTo("arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE");
  }

  @Test
  void
      givenTheSamplesPlaceholderArn_thenThereIsNoRegionCodeNorConsoleLink_andTheRegionFieldIsShown()
          throws IOException {
    CloudWatchAlarm alarm =
        CloudWatchAlarm.parse(resource("messages/03c-cloudwatch-alarm-message-single-metric.json"))
            .orElseThrow();

    assertThat(alarm.region()).isEmpty();
    assertThat(alarm.consoleUrl()).isEmpty();
    assertThat(alarm.displayRegion()).isEqualTo("EXAMPLE");
  }

  @Test
  void givenARealArn_thenTheRegionComesFromIt_notFromTheRegionsDisplayName() {
    CloudWatchAlarm alarm =
        alarm(
            "helix-aggregation-stale-yesterday",
            "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:helix-aggregation-stale-yesterday");

    assertThat(alarm.region()).contains("eu-central-1");
    assertThat(alarm.displayRegion()).isEqualTo("eu-central-1");
    assertThat(alarm.consoleUrl())
        .hasValueSatisfying(
            url ->
                assertThat(url)
                    .hasToString(
                        "https://eu-central-1.console.aws.amazon.com/cloudwatch/home"
                            + "?region=eu-central-1#alarmsV2:alarm/helix-aggregation-stale-yesterday"));
  }

  @Test
  void givenANameWithSpacesAndSymbols_thenTheConsoleLinkEncodesIt() {
    CloudWatchAlarm alarm =
        alarm(
            "helix DLQ <not empty> & growing/now",
            "arn:aws:cloudwatch:us-west-2:123456789012:alarm:helix DLQ <not empty> & growing/now");

    assertThat(alarm.consoleUrl().orElseThrow().toString())
        .endsWith("#alarmsV2:alarm/helix%20DLQ%20%3Cnot%20empty%3E%20%26%20growing%2Fnow");
  }

  @Test
  void givenAGovCloudArn_thenThereIsNoConsoleLink_becauseThatConsoleLivesElsewhere() {
    CloudWatchAlarm alarm =
        alarm("x", "arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:x");

    assertThat(alarm.region()).contains("us-gov-west-1");
    assertThat(alarm.consoleUrl()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Hello from SNS!",
        "{\n  \"id\": 42,\n  \"name\": \"Bob\"\n}",
        "{\"AlarmName\": \"cut off",
        "{\"AlarmName\": \"\"}",
        "{\"AlarmName\": null}",
        "[{\"AlarmName\": \"in an array\"}]",
        "\"AlarmName\"",
        ""
      })
  void givenAMessageThatIsNoAlarm_thenItIsNotParsedAsOne(String message) {
    assertThat(CloudWatchAlarm.parse(message)).isEmpty();
  }

  @Test
  void givenAnAlarmWithMissingFields_thenTheyAreEmpty_andTheTimeUnknown() {
    CloudWatchAlarm alarm = CloudWatchAlarm.parse("{\"AlarmName\": \"bare\"}").orElseThrow();

    assertThat(alarm.newState()).isEmpty();
    assertThat(alarm.changedAt()).isEmpty();
    assertThat(alarm.displayRegion()).isEqualTo("unknown");
  }

  private static CloudWatchAlarm alarm(String name, String arn) {
    return new CloudWatchAlarm(name, "", "ALARM", "OK", "r", "", "Somewhere", arn);
  }

  static String resource(String path) throws IOException {
    try (InputStream in =
        CloudWatchAlarmTest.class
            .getClassLoader()
            .getResourceAsStream("events/slack-notifier/" + path)) {
      if (in == null) {
        throw new IOException("no test resource events/slack-notifier/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
