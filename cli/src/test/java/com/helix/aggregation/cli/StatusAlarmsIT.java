package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * {@code helix status} with the stack's alarms, read by the CLI's real CloudWatch client through
 * {@code DescribeAlarms} from moto's CloudWatch. moto does not serve the CBOR protocol this SDK
 * speaks to CloudWatch, so the test class path carries {@link CloudWatchJsonProtocol}, which
 * re-encodes each call as CloudWatch's JSON 1.0 protocol (the same document); the CLI's code and
 * its client are the production ones. Also {@code helix invoke slack-notifier}.
 */
class StatusAlarmsIT {
  private TestDatabase db;
  private String prefix;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    MotoFixture.endpoint();
    db = PostgresFixture.freshDatabase();
    prefix = "helix-it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    env = new HashMap<>(db.environment());
  }

  @Test
  void givenTheStacksAlarmsInCloudWatch_thenStatusShowsEachOnesState_alarmsFirst() {
    try (CloudWatchClient cloudWatch = AlarmStates.standardClient()) {
      alarm(cloudWatch, prefix + "stale-yesterday");
      alarm(cloudWatch, prefix + "backfill-dead-letters");
      alarm(cloudWatch, "someone-else-stale-yesterday");
      cloudWatch.setAlarmState(
          r ->
              r.alarmName(prefix + "stale-yesterday")
                  .stateValue(StateValue.ALARM)
                  .stateReason("Threshold Crossed: 26 out of the last 26 datapoints were 0.0"));
      cloudWatch.setAlarmState(
          r ->
              r.alarmName(prefix + "backfill-dead-letters")
                  .stateValue(StateValue.OK)
                  .stateReason("Threshold Crossed: 1 datapoint [0.0] was not greater than 0.0"));
    }
    env.put(AlarmStates.PREFIX_VARIABLE, prefix);

    CliRun status = CliRun.of(env, "status");

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("Alarms (prefix " + prefix + "): 1 in ALARM, 1 OK, 0 INSUFFICIENT_DATA")
        .containsPattern(
            "  ALARM +" + prefix + "stale-yesterday +since [0-9T:.-]+Z  Threshold Crossed: 26")
        .containsPattern("  OK +" + prefix + "backfill-dead-letters +since ")
        .doesNotContain("someone-else");
    assertThat(status.out().indexOf("stale-yesterday"))
        .isLessThan(status.out().indexOf("backfill-dead-letters"));
  }

  @Test
  void givenAPrefixWithoutAlarms_orNoPrefix_thenStatusSaysSo_orReadsNoAlarms() {
    CliRun none = CliRun.of(env, "status", "--alarm-prefix", prefix);
    CliRun unset = CliRun.of(env, "status");

    assertThat(none.exitCode()).isZero();
    assertThat(none.out())
        .contains("Alarms (prefix " + prefix + "): none found; HELIX_ALARM_PREFIX must be");
    assertThat(unset.exitCode()).isZero();
    assertThat(unset.out()).doesNotContain("Alarms");
  }

  @Test
  void givenCloudWatchUnreachable_thenStatusPrintsOneLineAboutIt_andStillSucceeds() {
    env.put(AlarmStates.PREFIX_VARIABLE, prefix);
    String moto = System.getProperty("aws.endpointUrl");
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + MotoFixture.freePort());
    CliRun status;
    try {
      status = CliRun.of(env, "status");
    } finally {
      System.setProperty("aws.endpointUrl", moto);
    }

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("Freshness:")
        .containsPattern("Alarms \\(prefix " + prefix + "\\): cannot be read: .+");
    assertThat(status.err()).isEmpty();
  }

  @Test
  void givenAnAlarmEvent_whenHelixInvokesTheSlackNotifier_thenSlackGetsIt() throws Exception {
    List<String> posted = new CopyOnWriteArrayList<>();
    HttpServer slack =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slack.createContext(
        "/",
        exchange -> {
          posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, 2);
          exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
          exchange.close();
        });
    slack.start();
    try {
      String webhook = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T0/B0/x";
      String secret;
      try (var secrets = MotoFixture.secretsManager()) {
        secret =
            secrets
                .createSecret(s -> s.name("helix/slack-" + UUID.randomUUID()).secretString(webhook))
                .arn();
      }
      Map<String, String> processEnv = new HashMap<>(MotoFixture.environment());
      processEnv.put("HELIX_SLACK_WEBHOOK_SECRET_ARN", secret);
      processEnv.put("HELIX_RUNBOOK_URL", "https://example.com/docs/runbook.md");
      Path event =
          Path.of(System.getProperty("helix.root", ".."))
              .resolve("events/slack-notifier/alarms/helix-stale-yesterday-alarm.json");

      try (HelixProcess invoke =
          HelixProcess.start(processEnv, "invoke", "slack-notifier", "--event", event.toString())) {
        assertThat(invoke.waitFor(120)).as(invoke.out() + invoke.err()).isZero();
      }
      assertThat(posted).hasSize(1);
      assertThat(posted.get(0))
          .contains("helix-aggregation-stale-yesterday")
          .contains("https://example.com/docs/runbook.md#stale-yesterday");
    } finally {
      slack.stop(0);
    }
  }

  private static void alarm(CloudWatchClient cloudWatch, String name) {
    cloudWatch.putMetricAlarm(
        r ->
            r.alarmName(name)
                .namespace("Helix/Aggregation")
                .metricName("DaysPermanentlyFailed")
                .statistic(Statistic.SUM)
                .period(300)
                .evaluationPeriods(1)
                .threshold(0.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
  }
}
