package com.helix.aggregation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.schedule.ScheduledRun;
import com.helix.aggregation.dynamodb.DynamoDbLeaseProvider;
import com.helix.aggregation.emf.EmfMetrics;
import com.helix.aggregation.functions.scheduled.ScheduledEvents;
import com.helix.aggregation.functions.slack.RunbookLinks;
import com.helix.aggregation.functions.slack.SlackNotifierConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The template and the code agree: every name one sets, the other reads, and vice versa; every
 * handler exists with its event type; schedules, alarms, IAM and timeouts are what the code and the
 * spec need.
 */
class TemplateMatchesCodeTest {
  static final String AGGREGATOR = "ScheduledAggregatorFunction";
  static final String WORKER = "BackfillWorkerFunction";
  static final String NOTIFIER = "SlackNotifierFunction";

  /** Variables the code reads that the template does not set, each with its reason. */
  private static final Map<String, String> NOT_DEPLOYED =
      Map.of(HelixConfig.DATABASE_URL, "local use only: functions read HELIX_DB_SECRET_ARN");

  /**
   * The only IAM statements of the template allowed {@code Resource: "*"}, by resource and Sid,
   * with the reason (the README's Deployment section lists them too).
   */
  static final Map<String, String> IAM_WILDCARD_EXCEPTIONS =
      Map.of(
          "ScheduledAggregatorRole/VpcNetworkInterfaces",
          "Lambda's network interfaces in the VPC: ec2:Describe* support no resource-level"
              + " permissions, and Lambda creates and deletes interfaces whose ids nobody knows"
              + " in advance (AWS's AWSLambdaVPCAccessExecutionRole grants the same on *)",
          "BackfillWorkerRole/VpcNetworkInterfaces",
          "as the aggregator's",
          "AlarmTopicKey/AccountAdministersTheKey",
          "a key policy: Resource * means this key",
          "AlarmTopicKey/CloudWatchPublishesAlarms",
          "a key policy: Resource * means this key",
          "ChatbotChannelRole/MetricGraphs",
          "cloudwatch:GetMetricData, GetMetricStatistics, GetMetricWidgetImage and ListMetrics"
              + " support no resource-level permissions");

  /** Every alarm, with the runbook anchor its description must end with. */
  static final Map<String, String> ALARMS =
      Map.ofEntries(
          Map.entry("YesterdayNotVerifiedAlarm", "stale-yesterday"),
          Map.entry("NewestVerifiedDayAgeAlarm", "newest-verified-day-age"),
          Map.entry("FreshnessMetricMissingAlarm", "freshness-metric-missing"),
          Map.entry("BackfillQueueOldestMessageAlarm", "backfill-queue-stuck"),
          Map.entry("BackfillDeadLettersAlarm", "backfill-dead-letters"),
          Map.entry("SchedulerDeliveryFailuresAlarm", "scheduler-delivery-failures"),
          Map.entry("AsyncInvokeFailuresAlarm", "async-invoke-failures"),
          Map.entry("PermanentlyFailedDaysAlarm", "permanently-failed-days"),
          Map.entry("UnverifiedAggregatesAlarm", "unverified-aggregates"),
          Map.entry("ClosedDayChangedAlarm", "closed-day-changed"),
          Map.entry("ScheduledAggregatorErrorsAlarm", "function-errors"),
          Map.entry("BackfillWorkerErrorsAlarm", "function-errors"),
          Map.entry("SlackNotifierErrorsAlarm", "function-errors"));

  private final Template template = Template.parse();
  private final JsonNode root = template.root();

  // --- the lease table and its lease ---

  @Test
  void givenTheLeaseTable_thenItsKeyIsTheOneTheCodeWrites_andItIsDurableAndEncrypted() {
    JsonNode table = root.at("/Resources/LeaseTable");
    JsonNode properties = table.get("Properties");

    assertThat(table.get("Type").asText()).isEqualTo("AWS::DynamoDB::Table");
    assertThat(properties.at("/KeySchema").size()).isEqualTo(1);
    assertThat(properties.at("/KeySchema/0/AttributeName").asText())
        .isEqualTo(DynamoDbLeaseProvider.KEY_ATTRIBUTE);
    assertThat(properties.at("/KeySchema/0/KeyType").asText()).isEqualTo("HASH");
    assertThat(properties.at("/AttributeDefinitions/0/AttributeName").asText())
        .isEqualTo(DynamoDbLeaseProvider.KEY_ATTRIBUTE);
    assertThat(properties.at("/AttributeDefinitions/0/AttributeType").asText()).isEqualTo("S");
    assertThat(properties.get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
    assertThat(properties.at("/SSESpecification/SSEEnabled").asBoolean()).isTrue();
    assertThat(
            properties
                .at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled")
                .asBoolean())
        .isTrue();
    assertThat(properties.has("TimeToLiveSpecification"))
        .as("lease items never expire by TTL, so tokens only grow")
        .isFalse();
    assertThat(table.get("DeletionPolicy").asText()).isEqualTo("Retain");
  }

  @Test
  void givenTheFunctionsThatTakeLeases_thenTheLeaseOutlivesEachOnesTimeout() {
    int lease =
        root.at("/Globals/Function/Environment/Variables/" + HelixConfig.LEASE_SECONDS).asInt();

    assertThat(template.environment(AGGREGATOR)).contains(HelixConfig.LEASE_SECONDS);
    assertThat(template.environment(WORKER)).contains(HelixConfig.LEASE_SECONDS);
    assertThat(lease).isGreaterThan(template.timeout(AGGREGATOR));
    assertThat(lease).isGreaterThan(template.timeout(WORKER));
    assertThat(lease).isEqualTo(HelixConfig.DEFAULT_LEASE.toSeconds());
  }

  // --- the functions ---

  @Test
  void givenEveryFunction_thenJava21OnArm64_snapStartOnItsLiveAlias_jsonLogsInItsOwnGroup() {
    assertThat(template.functions()).containsExactlyInAnyOrder(AGGREGATOR, WORKER, NOTIFIER);
    for (String function : template.functions()) {
      assertThat(template.functionProperty(function, "Runtime").asText()).isEqualTo("java21");
      assertThat(template.functionProperty(function, "Architectures").get(0).asText())
          .isEqualTo("arm64");
      assertThat(template.functionProperty(function, "SnapStart").at("/ApplyOn").asText())
          .isEqualTo("PublishedVersions");
      assertThat(template.functionProperty(function, "AutoPublishAlias").asText())
          .isEqualTo("live");
      assertThat(template.functionProperty(function, "AutoPublishAliasAllProperties").asBoolean())
          .as(function + ": a change of configuration publishes a version too")
          .isTrue();
      assertThat(root.at("/Globals/Function/LoggingConfig/LogFormat").asText()).isEqualTo("JSON");
      String logGroup =
          template.resource(function).at("/Properties/LoggingConfig/LogGroup").asText();
      assertThat(template.resource(logGroup).path("Type").asText())
          .isEqualTo("AWS::Logs::LogGroup");
      assertThat(template.resource(function).at("/Metadata/SkipBuild").asBoolean())
          .as("Maven builds the artifact; sam build takes it as it is")
          .isTrue();
    }
  }

  @Test
  void givenTheBackfillWorker_thenItsHandlerIsTheClassThatReadsAnSqsEvent() throws Exception {
    JsonNode function = template.resource(WORKER).get("Properties");
    String[] handler = function.get("Handler").asText().split("::");

    Class<?> type = Class.forName(handler[0]);
    assertThat(type.getMethod(handler[1], SQSEvent.class, Context.class).getReturnType())
        .isEqualTo(SQSBatchResponse.class);
    assertThat(function.get("CodeUri").asText())
        .isEqualTo("../functions/backfill-worker/target/backfill-worker.jar");
  }

  @Test
  void givenTheScheduledAggregator_thenItsHandlerIsAStreamHandler() throws Exception {
    JsonNode function = template.resource(AGGREGATOR).get("Properties");
    String[] handler = function.get("Handler").asText().split("::");

    Class<?> type = Class.forName(handler[0]);
    assertThat(RequestStreamHandler.class).isAssignableFrom(type);
    assertThat(type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class))
        .isNotNull();
    assertThat(type.getConstructor()).as("Lambda's no-arg constructor").isNotNull();
    assertThat(function.get("CodeUri").asText())
        .isEqualTo("../functions/scheduled-aggregator/target/scheduled-aggregator.jar");
  }

  @Test
  void givenTheSlackNotifier_thenItsHandlerReadsAnSnsEvent_outsideTheVpc() throws Exception {
    JsonNode function = template.resource(NOTIFIER).get("Properties");
    String[] handler = function.get("Handler").asText().split("::");

    Class<?> type = Class.forName(handler[0]);
    assertThat(type.getMethod(handler[1], SNSEvent.class, Context.class)).isNotNull();
    assertThat(type.getConstructor()).as("Lambda's no-arg constructor").isNotNull();
    assertThat(function.get("CodeUri").asText())
        .isEqualTo("../functions/slack-notifier/target/slack-notifier.jar");
    assertThat(template.functionProperty(NOTIFIER, "VpcConfig").isMissingNode())
        .as("the notifier needs only Secrets Manager and Slack, and must work when the VPC fails")
        .isTrue();
    assertThat(template.functionProperty(AGGREGATOR, "VpcConfig").isMissingNode()).isFalse();
    assertThat(template.functionProperty(WORKER, "VpcConfig").isMissingNode()).isFalse();
    assertThat(function.at("/Events/Alarms/Type").asText()).isEqualTo("SNS");
    assertThat(function.at("/Events/Alarms/Properties/Topic").asText()).isEqualTo("AlarmTopic");
  }

  // --- the environment ---

  @Test
  void givenEachFunctionsEnvironment_thenItHoldsOnlyNamesThatFunctionsCodeReads() {
    assertThat(HelixConfig.VARIABLES).containsAll(template.environment(AGGREGATOR));
    assertThat(HelixConfig.VARIABLES).containsAll(template.environment(WORKER));
    assertThat(SlackNotifierConfig.VARIABLES).containsAll(template.environment(NOTIFIER));

    Set<String> aggregationOnly = new HashSet<>(HelixConfig.VARIABLES);
    aggregationOnly.removeAll(SlackNotifierConfig.VARIABLES);
    assertThat(template.environment(NOTIFIER))
        .as("the notifier has no database access")
        .doesNotContainAnyElementsOf(aggregationOnly);
  }

  @Test
  void givenTheVariablesTheCodeReads_thenTheTemplateSetsEachOneNotListedAsNotDeployed() {
    Set<String> read = new TreeSet<>(HelixConfig.VARIABLES);
    read.addAll(SlackNotifierConfig.VARIABLES);
    read.removeAll(NOT_DEPLOYED.keySet());
    Set<String> set = new TreeSet<>();
    template.functions().forEach(f -> set.addAll(template.environment(f)));

    assertThat(set).containsAll(read);
    assertThat(set).doesNotContainAnyElementsOf(NOT_DEPLOYED.keySet());
  }

  @Test
  void givenTheNotifiersVariables_thenTheyComeFromTheSlackAndRunbookParameters() {
    assertThat(template.environmentValue(NOTIFIER, SlackNotifierConfig.WEBHOOK_SECRET_ARN))
        .isEqualTo("SlackWebhookSecretArn");
    assertThat(template.environmentValue(NOTIFIER, SlackNotifierConfig.RUNBOOK_URL))
        .isEqualTo("RunbookUrl");
    assertThat(template.environmentValue(AGGREGATOR, HelixConfig.DB_PROXY_ENDPOINT))
        .isEqualTo("DbProxyEndpoint");
    assertThat(root.at("/Parameters/DbProxyEndpoint/Default").asText())
        .as("optional: empty means the secret's host")
        .isEmpty();
    assertThat(template.environmentValue(AGGREGATOR, HelixConfig.TRANSIENT_RETRY_SECONDS))
        .matches("[0-9]+");
    assertThat(
            Integer.parseInt(
                template.environmentValue(AGGREGATOR, HelixConfig.TRANSIENT_RETRY_SECONDS)))
        .as("rides out a failover (about two minutes) well within the function's timeout")
        .isBetween(120, template.timeout(AGGREGATOR) / 3);
  }

  // --- the schedules ---

  @Test
  void givenTheSchedules_thenDailyAt0005AndHourlyAt35Utc_andEachInputIsOneTheHandlerReads() {
    JsonNode events = template.resource(AGGREGATOR).at("/Properties/Events");
    Map<String, String> expressions =
        Map.of("Daily", "cron(5 0 * * ? *)", "Hourly", "cron(35 * * * ? *)");
    Map<String, ScheduledRun.Mode> modes =
        Map.of("Daily", ScheduledRun.Mode.DAILY, "Hourly", ScheduledRun.Mode.HOURLY);

    assertThat(iterable(events.fieldNames())).containsExactlyInAnyOrder("Daily", "Hourly");
    for (String name : List.of("Daily", "Hourly")) {
      JsonNode schedule = events.get(name);
      JsonNode properties = schedule.get("Properties");
      assertThat(schedule.get("Type").asText()).isEqualTo("ScheduleV2");
      assertThat(properties.get("ScheduleExpression").asText()).isEqualTo(expressions.get(name));
      assertThat(properties.get("ScheduleExpressionTimezone").asText()).isEqualTo("UTC");
      assertThat(properties.at("/FlexibleTimeWindow/Mode").asText()).isEqualTo("OFF");
      assertThat(properties.at("/DeadLetterConfig/Arn").asText())
          .isEqualTo("SchedulerDeadLetterQueue.Arn");
      assertThat(properties.at("/RetryPolicy/MaximumRetryAttempts").asInt()).isPositive();

      // as EventBridge Scheduler fills in its context attributes
      Instant scheduled = Instant.parse("2026-11-28T00:05:00Z");
      String input =
          properties
              .get("Input")
              .asText()
              .replace("<aws.scheduler.scheduled-time>", scheduled.toString())
              .replace("<aws.scheduler.attempt-number>", "1")
              .replace("<aws.scheduler.execution-id>", "d32c5kddcf5bb8c3");
      ScheduledRun run = ScheduledEvents.read(input.getBytes(StandardCharsets.UTF_8));
      assertThat(run.mode()).isEqualTo(modes.get(name));
      assertThat(run.scheduledTime()).isEqualTo(scheduled);
      assertThat(run.attempt()).isEqualTo(1);
    }
  }

  @Test
  void givenTheAggregatorsAsyncInvocations_thenFailuresLandOnTheirQueue() {
    JsonNode config = template.resource(AGGREGATOR).at("/Properties/EventInvokeConfig");

    assertThat(config.at("/DestinationConfig/OnFailure/Type").asText()).isEqualTo("SQS");
    assertThat(config.at("/DestinationConfig/OnFailure/Destination").asText())
        .isEqualTo("AggregatorFailedInvocationsQueue.Arn");
    assertThat(config.get("MaximumRetryAttempts").asInt()).isEqualTo(2);
  }

  // --- the backfill queue ---

  @Test
  void givenTheBackfillQueue_thenFifo_oneDayInFlight_andTheRedriveOnlyABackstop() {
    JsonNode queue = root.at("/Resources/BackfillQueue/Properties");
    JsonNode dlq = root.at("/Resources/BackfillDeadLetterQueue/Properties");
    JsonNode source = root.at("/Resources/BackfillWorkerFunction/Properties/Events/BackfillQueue");
    int workerTimeout = template.timeout(WORKER);

    assertThat(queue.get("FifoQueue").asBoolean()).isTrue();
    assertThat(queue.get("ContentBasedDeduplication").asBoolean())
        .as("deduplication ids are <day>#<request>, not the body")
        .isFalse();
    assertThat(queue.get("VisibilityTimeout").asInt()).isGreaterThanOrEqualTo(6 * workerTimeout);
    assertThat(queue.at("/RedrivePolicy/maxReceiveCount").asInt()).isEqualTo(5);
    assertThat(queue.get("SqsManagedSseEnabled").asBoolean()).isTrue();
    assertThat(dlq.get("FifoQueue").asBoolean()).isTrue();
    assertThat(queue.get("MessageRetentionPeriod").asInt())
        .as("an expired message is lost silently: as long as the DLQ allows")
        .isEqualTo(13 * 24 * 3600);
    assertThat(dlq.get("MessageRetentionPeriod").asInt()).isEqualTo(14 * 24 * 3600);
    assertThat(dlq.get("MessageRetentionPeriod").asInt())
        .isGreaterThan(queue.get("MessageRetentionPeriod").asInt());
    assertThat(dlq.get("SqsManagedSseEnabled").asBoolean()).isTrue();
    assertThat(source.get("Type").asText()).isEqualTo("SQS");
    assertThat(source.at("/Properties/BatchSize").asInt()).isEqualTo(1);
    assertThat(source.at("/Properties/FunctionResponseTypes/0").asText())
        .isEqualTo("ReportBatchItemFailures");
    assertThat(source.at("/Properties/ScalingConfig/MaximumConcurrency").asInt()).isEqualTo(2);
  }

  // --- the alarms ---

  @Test
  void givenEveryAlarm_thenItSendsAlarmAndOkToTheTopic_andLinksARunbookSectionThatExists()
      throws IOException {
    Set<String> sections = runbookAnchors();

    assertThat(template.resourcesOfType("AWS::CloudWatch::Alarm"))
        .containsExactlyInAnyOrderElementsOf(ALARMS.keySet());
    for (Map.Entry<String, String> alarm : ALARMS.entrySet()) {
      JsonNode properties = template.resource(alarm.getKey()).get("Properties");
      assertThat(texts(properties.get("AlarmActions")))
          .as(alarm.getKey())
          .containsExactly("AlarmTopic");
      assertThat(texts(properties.get("OKActions")))
          .as(alarm.getKey())
          .containsExactly("AlarmTopic");
      String description = properties.get("AlarmDescription").asText();
      assertThat(RunbookLinks.anchor(description)).as(description).contains(alarm.getValue());
      assertThat(sections).as("docs/runbook.md sections").contains(alarm.getValue());
      assertThat(properties.get("AlarmName").asText())
          .as("named <stack>-..., the prefix helix status reads them by")
          .startsWith("${AWS::StackName}-");
    }
  }

  @Test
  void givenTheNotifiersStaleAlarmFixture_thenItIsTheTemplatesOwnAlarm() throws IOException {
    JsonNode event =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                Template.ROOT
                    .resolve("events/slack-notifier/alarms/helix-stale-yesterday-alarm.json")
                    .toFile());
    JsonNode message =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(event.at("/Records/0/Sns/Message").asText());
    JsonNode alarm = template.resource("YesterdayNotVerifiedAlarm").get("Properties");

    assertThat(message.get("AlarmDescription").asText())
        .isEqualTo(alarm.get("AlarmDescription").asText());
    assertThat(message.at("/Trigger/EvaluationPeriods").asInt())
        .isEqualTo(alarm.get("EvaluationPeriods").asInt());
    assertThat(message.at("/Trigger/TreatMissingData").asText())
        .isEqualTo(alarm.get("TreatMissingData").asText());
    assertThat(message.at("/Trigger/Metrics/0/Expression").asText())
        .isEqualTo(alarm.at("/Metrics/1/Expression").asText());
  }

  @Test
  void givenTheAlarmsOnHelixMetrics_thenEachWatchesAMetricTheCodeEmits_withItsJobDimension()
      throws Exception {
    String namespace =
        root.at("/Globals/Function/Environment/Variables/" + HelixConfig.METRICS_NAMESPACE)
            .asText();
    List<JsonNode> metrics = new ArrayList<>();
    for (String alarm : ALARMS.keySet()) {
      JsonNode properties = template.resource(alarm).get("Properties");
      if (properties.has("MetricName")) {
        metrics.add(properties);
      }
      properties
          .path("Metrics")
          .forEach(
              m -> {
                if (m.has("MetricStat")) {
                  metrics.add(m.at("/MetricStat/Metric"));
                }
              });
    }
    Set<String> emitted = emfMetricNames();
    int helix = 0;
    for (JsonNode metric : metrics) {
      if (metric.get("Namespace").asText().equals(namespace)) {
        helix++;
        assertThat(emitted).contains(metric.get("MetricName").asText());
        assertThat(metric.at("/Dimensions/0/Name").asText()).isEqualTo(EmfMetrics.JOB_DIMENSION);
        assertThat(metric.at("/Dimensions/0/Value").asText()).isEqualTo(AggregateDayService.JOB);
        assertThat(metric.get("Dimensions").size()).isEqualTo(1);
      }
    }
    assertThat(helix).as("alarms on Helix metrics").isEqualTo(6);
  }

  @Test
  void givenTheStaleAlarm_thenMetricMathFillOverHourlyPeriods_26Of26_missingIsBreaching() {
    JsonNode alarm = template.resource("YesterdayNotVerifiedAlarm").get("Properties");

    assertThat(alarm.at("/Metrics/0/MetricStat/Metric/MetricName").asText())
        .isEqualTo(EmfMetrics.LAST_SUCCESS);
    assertThat(alarm.at("/Metrics/0/MetricStat/Period").asInt()).isEqualTo(3600);
    assertThat(alarm.at("/Metrics/1/Expression").asText()).isEqualTo("FILL(m, 0)");
    assertThat(alarm.get("EvaluationPeriods").asInt()).isEqualTo(26);
    assertThat(alarm.get("DatapointsToAlarm").asInt()).isEqualTo(26);
    assertThat(alarm.get("TreatMissingData").asText()).isEqualTo("breaching");
    assertThat(alarm.get("EvaluationPeriods").asInt() * 3600)
        .as("CloudWatch's limit for hourly periods: 7 days")
        .isLessThanOrEqualTo(7 * 24 * 3600);
  }

  // --- IAM ---

  @Test
  void givenEveryIamStatement_thenNoWildcardResourceOutsideTheListedExceptions() {
    List<String> wildcards = new ArrayList<>();
    Template.iamStatements(root)
        .forEach(
            (resource, statements) -> {
              for (JsonNode statement : statements) {
                if (Template.resources(statement).contains("*")) {
                  wildcards.add(resource + "/" + statement.path("Sid").asText("(no Sid)"));
                }
              }
            });

    assertThat(wildcards).containsExactlyInAnyOrderElementsOf(IAM_WILDCARD_EXCEPTIONS.keySet());
    for (String role : template.resourcesOfType("AWS::IAM::Role")) {
      assertThat(template.resource(role).at("/Properties/ManagedPolicyArns").isMissingNode())
          .as(role + ": no managed policies (AWS's grant on *)")
          .isTrue();
    }
    for (String function : template.functions()) {
      assertThat(template.resource(function).at("/Properties/Role").asText())
          .as(function + ": its own role, no SAM-made one with managed policies")
          .endsWith("Role.Arn");
    }
  }

  @Test
  void givenTheRoles_thenNoFunctionMayPutMetricData_andEachWritesOnlyItsOwnLogGroup() {
    for (String function : template.functions()) {
      String role = template.resource(function).at("/Properties/Role").asText().replace(".Arn", "");
      String logGroup =
          template.resource(function).at("/Properties/LoggingConfig/LogGroup").asText();
      List<JsonNode> statements = Template.iamStatements(root).get(role);
      for (JsonNode statement : statements) {
        assertThat(statement.toString())
            .as("EMF goes through the logs: no CloudWatch API call")
            .doesNotContain("cloudwatch:");
        if (statement.toString().contains("logs:")) {
          assertThat(Template.resources(statement)).containsExactly(logGroup + ".Arn");
        }
      }
    }
  }

  // --- helpers ---

  /** The anchors of docs/runbook.md's headings, as GitHub makes them. */
  static Set<String> runbookAnchors() throws IOException {
    Set<String> anchors = new TreeSet<>();
    Matcher heading =
        Pattern.compile("(?m)^#{2,3} (.+)$")
            .matcher(Files.readString(Template.ROOT.resolve("docs/runbook.md")));
    while (heading.find()) {
      anchors.add(
          heading
              .group(1)
              .trim()
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^a-z0-9 _-]", "")
              .replace(' ', '-'));
    }
    return anchors;
  }

  /** The names of the metrics EmfMetrics emits: its public String constants, dimension aside. */
  private static Set<String> emfMetricNames() throws IllegalAccessException {
    Set<String> names = new TreeSet<>();
    for (Field field : EmfMetrics.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && !field.getName().equals("JOB_DIMENSION")) {
        names.add((String) field.get(null));
      }
    }
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static <T> List<T> iterable(java.util.Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
