package com.helix.aggregation.infra;

import static org.assertj.core.api.Assertions.assertThat;

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
          HelixConfig.BACKFILL_QUEUE_URL,
              "the backfill queue arrives with the queue-driven backfill",
          HelixConfig.BACKFILL_DLQ_URL, "the backfill DLQ arrives with the queue-driven backfill",
          HelixConfig.BATCH_SIZE,
              "a throttle of the backfill that enqueues; no function uses it yet",
          HelixConfig.BATCH_DELAY_MS,
              "a throttle of the backfill that enqueues; no function uses it yet",
          HelixConfig.SLACK_WEBHOOK_SECRET_ARN, "the Slack notifier arrives with alerting");

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
