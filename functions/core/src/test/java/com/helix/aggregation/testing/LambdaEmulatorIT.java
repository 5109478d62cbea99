package com.helix.aggregation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.testing.probe.SqsProbeHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.joda.time.DateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The emulator suite's own proof: a function artifact runs unchanged under the real Lambda Java
 * runtime, and what only that runtime catches (handler strings, classes missing from the artifact,
 * the runtime's own deserialisation of events) fails as it would on Lambda.
 */
class LambdaEmulatorIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBE = SqsProbeHandler.class.getName() + "::handleRequest";

  /** What a shaded SQS function holds besides its own classes. */
  private static final List<Class<?>> SQS_FUNCTION_DEPENDENCIES =
      List.of(RequestHandler.class, SQSEvent.class, DateTime.class);

  @TempDir static Path artifacts;
  private static Path probeJar;
  private static String sqsFifoEvent;

  @BeforeAll
  static void buildProbe() throws IOException {
    probeJar =
        FunctionArtifacts.shadedJar(
            artifacts.resolve("probe.jar"), SqsProbeHandler.class, SQS_FUNCTION_DEPENDENCIES);
    sqsFifoEvent =
        Files.readString(
            Path.of(System.getProperty("helix.root", "../.."), "events/sqs/sqs-event-fifo.json"));
  }

  @Test
  void givenTheSqsFifoSample_thenTheShadedFunctionAnswersWhatItReadInLambdasEnvironment()
      throws IOException {
    try (LambdaEmulator lambda =
        LambdaEmulator.builder(probeJar, PROBE)
            .functionName("helix-probe")
            .memoryMb(512)
            .environment(Map.of("HELIX_SCHEMA", "probe"))
            .start()) {
      LambdaInvocation invocation = lambda.invoke(sqsFifoEvent);

      assertThat(invocation.failed()).as(lambda.log()).isFalse();
      assertThat(invocation.status()).isEqualTo(200);
      JsonNode answer = JSON.readTree(invocation.body());
      assertThat(texts(answer, "messageIds"))
          .containsExactly("11d6ee51-4cc7-4302-9e22-7cd8afdaadf5");
      assertThat(texts(answer, "bodies")).containsExactly("Test message.");
      assertThat(texts(answer, "messageGroupIds")).containsExactly("1");
      assertThat(answer.get("functionName").asText()).isEqualTo("helix-probe");
      assertThat(answer.get("memoryLimitInMB").asInt()).isEqualTo(512);
      assertThat(answer.get("awsRequestId").asText()).isEqualTo(invocation.requestId());
      assertThat(answer.get("region").asText()).isEqualTo("us-east-1");
      // The suite's JVM runs in America/New_York; Lambda's runs in UTC.
      assertThat(answer.get("timeZone").asText()).isEqualTo("UTC");
      String taskRoot = lambda.taskRoot().toString();
      assertThat(answer.get("taskRoot").asText()).isEqualTo(taskRoot);
      assertThat(answer.get("workingDirectory").asText()).isEqualTo(taskRoot);
      // The function's classes, events included, come from the artifact; the runtime's class path
      // holds the runtime alone, nothing of the test class path.
      assertThat(Path.of(answer.get("handlerLoadedFrom").asText())).isEqualTo(lambda.taskRoot());
      assertThat(Path.of(answer.get("eventsLoadedFrom").asText())).isEqualTo(lambda.taskRoot());
      assertThat(answer.get("classPath").asText().split(":"))
          .hasSize(4)
          .allMatch(entry -> entry.contains("/runtime/lib/"))
          .anyMatch(entry -> entry.contains("aws-lambda-java-runtime-interface-client-"))
          .noneMatch(entry -> entry.contains("aws-lambda-java-events"));
      // The managed runtime's heap: 85 % of the function's memory (less a survivor space).
      assertThat(answer.get("maxHeapBytes").asLong())
          .isBetween(400L * 1024 * 1024, 512L * 1024 * 1024 * 85 / 100);
    }
  }

  @Test
  void givenAColdAndAWarmInvocation_thenTheEmulatorsInitAndInvokeDurationsAreParsed() {
    try (LambdaEmulator lambda = LambdaEmulator.start(probeJar, PROBE, Map.of())) {
      LambdaInvocation cold = lambda.invoke(sqsFifoEvent);
      LambdaInvocation warm = lambda.invoke(sqsFifoEvent);

      assertThat(cold.failed()).as(lambda.log()).isFalse();
      assertThat(warm.failed()).as(lambda.log()).isFalse();
      Duration init = cold.initDuration().orElseThrow();
      assertThat(init).isPositive();
      assertThat(cold.duration().orElseThrow()).isPositive();
      // The emulator initialises inside the first request: its wall time includes the init.
      assertThat(cold.reportedDuration().orElseThrow()).isGreaterThanOrEqualTo(init);
      assertThat(warm.initDuration()).isEmpty();
      assertThat(warm.duration().orElseThrow()).isPositive();
      assertThat(warm.reportedDuration()).isPresent();
      System.out.printf(
          "LambdaEmulator probe: init %d ms, first invoke %d ms (emulator wall time %d ms),"
              + " second invoke %d ms%n",
          init.toMillis(),
          cold.duration().orElseThrow().toMillis(),
          cold.reportedDuration().orElseThrow().toMillis(),
          warm.duration().orElseThrow().toMillis());
    }
  }

  @Test
  void givenAHandlerThatThrows_thenTheInvocationFailsWithItsExceptionAndTheNextOneIsServed() {
    try (LambdaEmulator lambda = LambdaEmulator.start(probeJar, PROBE, Map.of())) {
      LambdaInvocation failing = lambda.invoke(sqsFifoEvent.replace("Test message.", "fail"));
      LambdaInvocation next = lambda.invoke(sqsFifoEvent);

      assertThat(failing.failed()).isTrue();
      assertThat(failing.status()).isEqualTo(200);
      assertThat(failing.errorType()).contains("java.lang.IllegalArgumentException");
      assertThat(failing.body()).contains("a message asked to fail");
      assertThat(next.failed()).as(lambda.log()).isFalse();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "com.helix.aggregation.testing.probe.SqsProbe::handleRequest"
            + " | java.lang.ClassNotFoundException | Class not found",
        // The runtime reports this one without an errorType.
        "com.helix.aggregation.testing.probe.SqsProbeHandler::handle"
            + " | | No public method named handle with appropriate method signature"
      })
  void givenAHandlerStringThatDoesNotMatch_thenTheInvocationFailsWithTheRuntimesError(
      String handler, String errorType, String message) {
    try (LambdaEmulator lambda = LambdaEmulator.start(probeJar, handler, Map.of())) {
      LambdaInvocation invocation = lambda.invoke(sqsFifoEvent);

      assertThat(invocation.failed()).as(lambda.log()).isTrue();
      assertThat(invocation.errorType())
          .as(invocation.body())
          .isEqualTo(Optional.ofNullable(errorType));
      assertThat(invocation.body()).contains(message);
    }
  }

  @Test
  void givenAnArtifactWithoutJodaTime_thenTheRuntimesSerializerCannotReadAnSqsEvent() {
    // aws-lambda-java-events 3.x declares joda-time, and the runtime's serializer loads
    // org.joda.time.DateTime from the function for every event it deserialises with Jackson,
    // SQSEvent included, although SQSEvent has no date field.
    Path withoutJoda =
        FunctionArtifacts.shadedJar(
            artifacts.resolve("probe-without-joda-time.jar"),
            SqsProbeHandler.class,
            List.of(RequestHandler.class, SQSEvent.class));
    try (LambdaEmulator lambda = LambdaEmulator.start(withoutJoda, PROBE, Map.of())) {
      LambdaInvocation invocation = lambda.invoke(sqsFifoEvent);

      assertThat(invocation.failed()).as(lambda.log()).isTrue();
      assertThat(invocation.errorType())
          .contains(
              "com.amazonaws.services.lambda.runtime.serialization.util.ReflectUtil$ReflectException");
      assertThat(invocation.body())
          .contains("java.lang.ClassNotFoundException: org.joda.time.DateTime");
    }
  }

  @Test
  void givenLambdasZipLayout_thenTheRuntimeLoadsTheDependenciesFromLib() throws IOException {
    Path directory =
        FunctionArtifacts.zipLayout(
            Files.createDirectory(artifacts.resolve("probe-zip-layout")),
            SqsProbeHandler.class,
            SQS_FUNCTION_DEPENDENCIES);
    try (LambdaEmulator lambda = LambdaEmulator.start(directory, PROBE, Map.of())) {
      LambdaInvocation invocation = lambda.invoke(sqsFifoEvent);

      assertThat(invocation.failed()).as(lambda.log()).isFalse();
      JsonNode answer = JSON.readTree(invocation.body());
      assertThat(Path.of(answer.get("handlerLoadedFrom").asText())).isEqualTo(lambda.taskRoot());
      assertThat(Path.of(answer.get("eventsLoadedFrom").asText()))
          .isEqualTo(
              lambda
                  .taskRoot()
                  .resolve("lib")
                  .resolve(FunctionArtifacts.jarOf(SQSEvent.class).getFileName()));
    }
  }

  @Test
  void givenAnArtifactThatBundlesTheRuntimeInterfaceClient_thenTheEmulatorRefusesIt() {
    Path bundled =
        FunctionArtifacts.shadedJar(
            artifacts.resolve("probe-with-runtime.jar"),
            SqsProbeHandler.class,
            List.of(RequestHandler.class, SQSEvent.class, DateTime.class, AWSLambda.class));

    assertThatThrownBy(() -> LambdaEmulator.start(bundled, PROBE, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runtime interface client");
  }

  private static List<String> texts(JsonNode answer, String field) {
    return Arrays.stream(JSON.convertValue(answer.get(field), String[].class)).toList();
  }
}
