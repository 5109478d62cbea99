package com.helix.aggregation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.dynamodb.DynamoDbLeaseProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The template and the code agree: every name one sets, the other reads, and vice versa. */
class TemplateMatchesCodeTest {
  /**
   * Variables the code reads that the template does not set yet, each with its reason. The list
   * shrinks as the functions and their resources arrive; it never grows silently.
   */
  private static final Map<String, String> NOT_DEPLOYED =
      Map.of(
          HelixConfig.DATABASE_URL, "local use only: functions read HELIX_DB_SECRET_ARN",
          HelixConfig.SLACK_WEBHOOK_SECRET_ARN, "the Slack notifier arrives with alerting",
          HelixConfig.TRANSIENT_RETRY_SECONDS,
              "its default (150 s) is what the functions need; the complete template sets it",
          HelixConfig.DB_PROXY_ENDPOINT,
              "the RDS Proxy parameter arrives with the complete template");

  private final JsonNode template = Template.read();

  @Test
  void givenTheLeaseTable_thenItsKeyIsTheOneTheCodeWrites_andItIsDurableAndEncrypted() {
    JsonNode table = template.at("/Resources/LeaseTable");
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
  void givenTheEnvironmentTheTemplateSets_thenTheCodeReadsEveryName() {
    assertThat(HelixConfig.VARIABLES).containsAll(templateVariables());
  }

  @Test
  void givenTheVariablesTheCodeReads_thenTheTemplateSetsEachOneNotListedAsNotDeployed() {
    Set<String> expected = new HashSet<>(HelixConfig.VARIABLES);
    expected.removeAll(NOT_DEPLOYED.keySet());

    assertThat(templateVariables()).containsAll(expected);
    assertThat(templateVariables()).doesNotContainAnyElementsOf(NOT_DEPLOYED.keySet());
  }

  @Test
  void givenTheFunctionTimeout_thenTheLeaseOutlivesIt() {
    JsonNode function = template.at("/Globals/Function");
    int timeout = function.get("Timeout").asInt();
    int lease = function.at("/Environment/Variables/" + HelixConfig.LEASE_SECONDS).asInt();

    assertThat(lease).isGreaterThan(timeout);
    assertThat(function.get("Runtime").asText()).isEqualTo("java21");
    assertThat(function.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
    assertThat(function.at("/LoggingConfig/LogFormat").asText()).isEqualTo("JSON");
  }

  @Test
  void givenTheBackfillWorker_thenItsHandlerIsTheClassThatReadsAnSqsEvent() throws Exception {
    JsonNode function = template.at("/Resources/BackfillWorkerFunction/Properties");
    String[] handler = function.get("Handler").asText().split("::");

    Class<?> type = Class.forName(handler[0]);
    assertThat(type.getMethod(handler[1], SQSEvent.class, Context.class).getReturnType())
        .isEqualTo(SQSBatchResponse.class);
    assertThat(function.get("CodeUri").asText())
        .isEqualTo("../functions/backfill-worker/target/backfill-worker.jar");
  }

  @Test
  void givenTheBackfillQueue_thenFifo_oneDayInFlight_andTheRedriveOnlyABackstop() {
    JsonNode queue = template.at("/Resources/BackfillQueue/Properties");
    JsonNode dlq = template.at("/Resources/BackfillDeadLetterQueue/Properties");
    JsonNode source =
        template.at("/Resources/BackfillWorkerFunction/Properties/Events/BackfillQueue");
    int workerTimeout = template.at("/Globals/Function/Timeout").asInt();

    assertThat(queue.get("FifoQueue").asBoolean()).isTrue();
    assertThat(queue.get("ContentBasedDeduplication").asBoolean())
        .as("deduplication ids are <day>#<request>, not the body")
        .isFalse();
    assertThat(queue.get("VisibilityTimeout").asInt()).isGreaterThanOrEqualTo(6 * workerTimeout);
    assertThat(queue.at("/RedrivePolicy/maxReceiveCount").asInt()).isEqualTo(5);
    assertThat(queue.get("SqsManagedSseEnabled").asBoolean()).isTrue();
    assertThat(dlq.get("FifoQueue").asBoolean()).isTrue();
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

  /** Every environment variable name the template sets: in Globals and on each function. */
  private List<String> templateVariables() {
    List<String> names = new ArrayList<>();
    template
        .at("/Globals/Function/Environment/Variables")
        .fieldNames()
        .forEachRemaining(names::add);
    for (Iterator<JsonNode> it = template.get("Resources").elements(); it.hasNext(); ) {
      JsonNode resource = it.next();
      if ("AWS::Serverless::Function".equals(resource.path("Type").asText())) {
        resource.at("/Properties/Environment/Variables").fieldNames().forEachRemaining(names::add);
      }
    }
    return names;
  }
}
