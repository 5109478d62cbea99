package com.helix.aggregation.functions.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.ColdStarts.Scenario;
import com.helix.aggregation.testing.LambdaEmulator;
import com.helix.aggregation.testing.LambdaInvocation;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TemplateEnvironment;
import com.helix.aggregation.testing.TemplateFunction;
import com.helix.aggregation.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The worker's cold-start scenarios: a fresh database and template environment for each. */
final class WorkerScenarios {
  static final Path ARTIFACT = Path.of("target", "backfill-worker.jar");
  static final LocalDate DAY = LocalDate.of(2025, 10, 1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TemplateFunction FUNCTION = TemplateFunction.of("BackfillWorkerFunction");

  private WorkerScenarios() {}

  /** The template's handler on this artifact; the first and second day's message. */
  static Scenario worker(Path artifact, String handler, Map<String, String> extraEnvironment) {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(DAY, 2, 500, 4);
    }
    return new Scenario(
        emulator(artifact, handler, db, extraEnvironment),
        message(DAY),
        message(DAY.plusDays(1)),
        WorkerScenarios::assertDayAggregated);
  }

  static Scenario worker(Map<String, String> extraEnvironment) {
    return worker(ARTIFACT, FUNCTION.handler(), extraEnvironment);
  }

  /** A probe handler on a copy of the artifact, in the worker's environment. */
  static Scenario probe(
      Path artifact, String handler, String event, Map<String, String> extraEnvironment) {
    return new Scenario(
        emulator(artifact, handler, PostgresFixture.freshDatabase(), extraEnvironment),
        event,
        event,
        (invocation, lambda) -> assertThat(invocation.failed()).as(lambda.log()).isFalse());
  }

  private static LambdaEmulator.Builder emulator(
      Path artifact, String handler, TestDatabase db, Map<String, String> extraEnvironment) {
    Map<String, String> env =
        new HashMap<>(
            TemplateEnvironment.of(FUNCTION, db, Map.of(HelixConfig.BATCH_DELAY_MS, "0")));
    env.putAll(extraEnvironment);
    return LambdaEmulator.builder(artifact, handler)
        .environment(env)
        .functionName("helix-backfill-worker")
        .timeoutSeconds(FUNCTION.timeoutSeconds())
        .memoryMb(FUNCTION.memoryMb());
  }

  /** The day was aggregated (no retry asked for) and its metrics were written as EMF. */
  private static void assertDayAggregated(LambdaInvocation invocation, LambdaEmulator lambda) {
    assertThat(invocation.failed()).as(lambda.log()).isFalse();
    try {
      assertThat(JSON.readTree(invocation.body()).get("batchItemFailures")).isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The EMF library's Lambda sink (standard output) works without the dependencies cut.
    assertThat(lambda.log()).contains("\"_aws\"").contains("\"DaysAggregated\"");
  }

  /** An SQS record of the backfill queue carrying one day, as the queue delivers it. */
  static String message(LocalDate day) {
    String body =
        "{\"day\":\""
            + day
            + "\",\"requestId\":\"cold-start\",\"force\":false,\"includeToday\":false}";
    return "{\"Records\":[{\"messageId\":\""
        + UUID.randomUUID()
        + "\",\"receiptHandle\":\"AQEB\",\"body\":"
        + quote(body)
        + ",\"attributes\":{\"ApproximateReceiveCount\":\"1\",\"SentTimestamp\":\"1764460800000\","
        + "\"MessageGroupId\":\"backfill\",\"MessageDeduplicationId\":\""
        + day
        + "#cold-start\",\"ApproximateFirstReceiveTimestamp\":\"1764460800125\"},"
        + "\"messageAttributes\":{},\"md5OfBody\":\"\",\"eventSource\":\"aws:sqs\","
        + "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:helix-aggregation-backfill.fifo\","
        + "\"awsRegion\":\"us-east-1\"}]}";
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
