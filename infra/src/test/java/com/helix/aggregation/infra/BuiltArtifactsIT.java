package com.helix.aggregation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.functions.slack.SlackNotifierConfig;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.LambdaEmulator;
import com.helix.aggregation.testing.LambdaInvocation;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TemplateEnvironment;
import com.helix.aggregation.testing.TemplateFunction;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.testing.UtcDays;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Every function's artifact as {@code sam build} leaves it (the path its built template names),
 * unchanged, under the real Lambda Java runtime (AWS's Runtime Interface Emulator, no Docker),
 * started with the template's own handler string, timeout, memory and environment, each variable
 * given this test's value: the database by its secret in moto's Secrets Manager, the lease table
 * and queues created in moto, the Slack webhook a local server in Slack's place. It answers its
 * events/ fixtures; and a function whose schema is one migration behind refuses to run, naming
 * {@code helix migrate}, and charges no day (the deploy path of the README).
 */
class BuiltArtifactsIT {
  private static final LocalDate BACKFILL_DAY = LocalDate.of(2025, 10, 1);
  private static final List<String> WORKER_FIXTURES =
      List.of(
          "events/backfill-worker/one-day.json",
          "events/backfill-worker/batch-of-three.json",
          "events/backfill-worker/poison.json",
          "events/sqs/sqs-event-fifo.json");

  @Test
  void givenTheWorkersFixtures_thenItsBuiltArtifactAnswersThem() throws Exception {
    TemplateFunction function = TemplateFunction.of(TemplateMatchesCodeTest.WORKER);
    TestDatabase db = database(BACKFILL_DAY, 3);
    try (LambdaEmulator lambda =
        start(
            function,
            TemplateEnvironment.of(function, db, Map.of(HelixConfig.BATCH_DELAY_MS, "0")),
            "helix-backfill-worker")) {
      for (String fixture : WORKER_FIXTURES) {
        LambdaInvocation invocation = lambda.invoke(resource(fixture));
        assertThat(invocation.failed()).as(fixture + "\n" + lambda.log()).isFalse();
        assertThat(new ObjectMapper().readTree(invocation.body()).has("batchItemFailures"))
            .as(invocation.body())
            .isTrue();
      }
    }
    DayChecks.assertComputedOnceAndExact(db, BACKFILL_DAY, BACKFILL_DAY.plusDays(2));
  }

  @Test
  void givenTheDailyInput_thenTheAggregatorsBuiltArtifactAggregatesYesterdayAndCatchesUp()
      throws Exception {
    TemplateFunction function = TemplateFunction.of(TemplateMatchesCodeTest.AGGREGATOR);
    LocalDate yesterday = UtcDays.yesterdayForAtLeast(Duration.ofMinutes(3));
    TestDatabase db = database(yesterday.minusDays(6), 7);
    try (LambdaEmulator lambda =
        start(
            function,
            TemplateEnvironment.of(function, db, Map.of()),
            "helix-scheduled-aggregator")) {
      LambdaInvocation daily = lambda.invoke(dailyInput());

      assertThat(daily.failed()).as(lambda.log()).isFalse();
      JsonNode response = new ObjectMapper().readTree(daily.body());
      assertThat(response.get("targetDay").asText()).isEqualTo(yesterday.toString());
      assertThat(response.get("attempts").get(0).asText()).isEqualTo(yesterday + " aggregated");
    }
    DayChecks.assertComputedOnceAndExact(db, yesterday.minusDays(6), yesterday);
  }

  @Test
  void
      givenAlarmsAndOtherMessages_thenTheNotifiersBuiltArtifactPostsEach_andFailsWhenSlackKeepsFailing()
          throws Exception {
    TemplateFunction function = TemplateFunction.of(TemplateMatchesCodeTest.NOTIFIER);
    String runbook = function.environment().get(SlackNotifierConfig.RUNBOOK_URL);
    List<String> fixtures =
        fixtures("events/slack-notifier/alarms", "events/slack-notifier/not-alarms");
    try (LocalSlack slack = new LocalSlack();
        LambdaEmulator lambda =
            start(
                function,
                TemplateEnvironment.of(
                    function,
                    null,
                    Map.of(
                        SlackNotifierConfig.WEBHOOK_SECRET_ARN,
                        secret("helix/slack-webhook-", slack.webhookUrl().toString()))),
                "helix-slack-notifier")) {
      for (String fixture : fixtures) {
        slack.clear();
        LambdaInvocation invocation = lambda.invoke(resource(fixture));
        assertThat(invocation.failed()).as(fixture + "\n" + lambda.log()).isFalse();
        assertThat(slack.bodies()).as(fixture).hasSize(1);
        assertThat(new ObjectMapper().readTree(slack.bodies().get(0)).isObject()).isTrue();
      }

      slack.clear();
      lambda.invoke(resource("events/slack-notifier/alarms/helix-stale-yesterday-alarm.json"));
      assertThat(slack.bodies().get(0))
          .contains("helix-aggregation-stale-yesterday")
          .contains(runbook + "#stale-yesterday");

      slack.clear();
      slack.answer(500, 500, 500);
      LambdaInvocation failing =
          lambda.invoke(resource("events/slack-notifier/alarms/helix-stale-yesterday-alarm.json"));
      assertThat(failing.failed()).as("SNS retries it, the error alarm sees it").isTrue();
      assertThat(failing.body()).contains("500").doesNotContain(LocalSlack.PATH);
      assertThat(slack.bodies()).as("tried, then retried twice with backoff").hasSize(3);
    }
  }

  @Test
  void
      givenASchemaOneMigrationBehind_thenWorkerAndAggregatorRefuseNamingHelixMigrate_andChargeNoDay()
          throws Exception {
    LocalDate yesterday = UtcDays.yesterdayForAtLeast(Duration.ofMinutes(3));
    TestDatabase db = database(yesterday.minusDays(6), 7);
    // the build's newest migration is not applied: the database is one version behind the code
    db.execute(
        "DELETE FROM {schema}.flyway_schema_history WHERE installed_rank ="
            + " (SELECT max(installed_rank) FROM {schema}.flyway_schema_history WHERE version IS NOT NULL)");

    List<LambdaInvocation> refused = new ArrayList<>();
    TemplateFunction worker = TemplateFunction.of(TemplateMatchesCodeTest.WORKER);
    try (LambdaEmulator lambda =
        start(worker, TemplateEnvironment.of(worker, db, Map.of()), "helix-backfill-worker")) {
      refused.add(lambda.invoke(resource("events/backfill-worker/one-day.json")));
    }
    TemplateFunction aggregator = TemplateFunction.of(TemplateMatchesCodeTest.AGGREGATOR);
    try (LambdaEmulator lambda =
        start(
            aggregator,
            TemplateEnvironment.of(aggregator, db, Map.of()),
            "helix-scheduled-aggregator")) {
      refused.add(lambda.invoke(dailyInput()));
    }

    for (LambdaInvocation invocation : refused) {
      assertThat(invocation.failed()).isTrue();
      assertThat(invocation.body()).contains("run `helix migrate` with this build");
    }
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
    assertThat(db.count("SELECT count(*) FROM {schema}.day_states")).isZero();
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates")).isZero();
  }

  // --- helpers ---

  /** The artifact the built template deploys for this function, started as the template says. */
  private static LambdaEmulator start(
      TemplateFunction function, Map<String, String> environment, String name) throws IOException {
    JsonNode built = Template.read(SamCli.builtTemplate());
    JsonNode properties = built.at("/Resources/" + function.logicalId() + "/Properties");
    Path artifact = SamCli.BUILD_DIR.resolve(properties.get("CodeUri").asText()).normalize();
    assertThat(properties.get("Handler").asText()).isEqualTo(function.handler());
    System.out.printf(
        "%s: %s (%,d bytes) as sam build left it%n",
        function.logicalId(), artifact, Files.size(artifact));
    return LambdaEmulator.builder(artifact, function.handler())
        .environment(environment)
        .functionName(name)
        .timeoutSeconds(function.timeoutSeconds())
        .memoryMb(function.memoryMb())
        .start();
  }

  private static String secret(String prefix, String value) {
    try (SecretsManagerClient secrets = MotoFixture.secretsManager()) {
      return secrets
          .createSecret(s -> s.name(prefix + UUID.randomUUID()).secretString(value))
          .arn();
    }
  }

  private static TestDatabase database(LocalDate from, int days) {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(from, days, 500, 4);
    }
    return db;
  }

  /**
   * The daily schedule's input as EventBridge Scheduler delivers it now:
   * events/scheduled-aggregator /daily.json when the aggregator's fixtures exist, else the
   * template's own Input, with the context attributes filled in.
   */
  private static String dailyInput() {
    String input =
        BuiltArtifactsIT.class
                    .getClassLoader()
                    .getResource("events/scheduled-aggregator/daily.json")
                != null
            ? resource("events/scheduled-aggregator/daily.json")
            : Template.parse()
                .resource(TemplateMatchesCodeTest.AGGREGATOR)
                .at("/Properties/Events/Daily/Properties/Input")
                .asText();
    return input
        .replace(
            "<aws.scheduler.scheduled-time>",
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .replace("<aws.scheduler.attempt-number>", "1")
        .replace("<aws.scheduler.execution-id>", "d32c5kddcf5bb8c3");
  }

  private static List<String> fixtures(String... folders) throws IOException {
    List<String> names = new ArrayList<>();
    for (String folder : folders) {
      Path dir = Path.of("target", "test-classes", folder);
      try (Stream<Path> files = Files.list(dir)) {
        files
            .filter(f -> f.toString().endsWith(".json"))
            .sorted()
            .forEach(f -> names.add(folder + "/" + f.getFileName()));
      }
    }
    return names;
  }

  private static String resource(String name) {
    try (InputStream in = BuiltArtifactsIT.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
