package com.helix.aggregation.functions.scheduled;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.ColdStarts;
import com.helix.aggregation.testing.ColdStarts.Scenario;
import com.helix.aggregation.testing.ColdStarts.Variant;
import com.helix.aggregation.testing.LambdaEmulator;
import com.helix.aggregation.testing.LambdaInvocation;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TemplateEnvironment;
import com.helix.aggregation.testing.TemplateFunction;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.testing.UtcDays;
import com.helix.aggregation.testing.probe.SdkClientsProbeHandler;
import com.helix.aggregation.wiring.HelixWiring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator's cold start (issue 12): its deployable artifact under the Runtime Interface
 * Emulator, started as the template says, against PostgreSQL and moto, its first event each of the
 * schedules' inputs in a realistic state: the daily run when yesterday's usage is new and the rest
 * of the lookback window verified (it aggregates yesterday and confirms six unchanged days), and an
 * hourly run with nothing to retry. Beside them the floor: a probe that builds only the same SDK
 * clients, on the same artifact. Prints the table and writes it to {@code
 * target/cold-starts-scheduled-aggregator.md}; asserts only that every invocation was right.
 */
class ScheduledAggregatorColdStartIT {
  private static final Path ARTIFACT = Path.of("target", "scheduled-aggregator.jar");
  private static final String PROBE = SdkClientsProbeHandler.class.getName() + "::handleRequest";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static TemplateFunction function;
  private static Path probeArtifact;

  @BeforeAll
  static void build() {
    function = TemplateFunction.of("ScheduledAggregatorFunction");
    probeArtifact =
        ColdStarts.artifactWith(
            ARTIFACT, work.resolve("probe.jar"), List.of(SdkClientsProbeHandler.class));
  }

  @Test
  void givenTheSchedulesInputs_thenTheColdStartsAreReportedBesideTheSdkClientsFloor() {
    List<ColdStarts.Result> results =
        ColdStarts.measure(
            ColdStarts.runs(),
            List.of(
                new Variant("scheduled-aggregator: daily, yesterday new", () -> daily(Map.of())),
                new Variant(
                    "scheduled-aggregator: hourly, nothing to retry", () -> hourly(Map.of())),
                new Variant("probe: builds the same SDK clients", () -> probe(Map.of())),
                new Variant(
                    "probe: same clients, one call each",
                    () -> probe(Map.of("HELIX_PROBE_CALLS", "true")))));

    ColdStarts.report(
        "scheduled-aggregator cold start",
        results,
        "probe: builds the same SDK clients",
        "cold-starts-scheduled-aggregator.md");
  }

  /**
   * Seven days of usage up to yesterday; all but yesterday aggregated by the previous day's run.
   * The daily run then aggregates yesterday and confirms the other six unchanged.
   */
  static Scenario daily(Map<String, String> extraEnvironment) {
    TestDatabase db = database();
    Map<String, String> env = environment(db, extraEnvironment);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    runInProcess(env, scheduled("hourly", now.minus(Duration.ofDays(1))));
    return scenario(
        env,
        scheduled("daily", now),
        scheduled("daily", now),
        (invocation, lambda) -> {
          assertSucceeded(invocation, lambda);
          assertThat(attempts(invocation)).hasSize(7);
        });
  }

  /** The whole window verified: an hourly run has nothing to do but look. */
  static Scenario hourly(Map<String, String> extraEnvironment) {
    TestDatabase db = database();
    Map<String, String> env = environment(db, extraEnvironment);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    runInProcess(env, scheduled("hourly", now));
    return scenario(
        env,
        scheduled("hourly", now),
        scheduled("hourly", now),
        (invocation, lambda) -> {
          assertSucceeded(invocation, lambda);
          assertThat(attempts(invocation)).isEmpty();
        });
  }

  /** The SDK clients' floor on the aggregator's own artifact and environment. */
  static Scenario probe(Map<String, String> extraEnvironment) {
    Map<String, String> env = environment(PostgresFixture.freshDatabase(), extraEnvironment);
    return new Scenario(
        LambdaEmulator.builder(probeArtifact, PROBE)
            .environment(env)
            .functionName("helix-probe")
            .timeoutSeconds(function.timeoutSeconds())
            .memoryMb(function.memoryMb()),
        "{}",
        "{}",
        (invocation, lambda) -> {
          assertThat(invocation.failed()).as(lambda.log()).isFalse();
          assertThat(invocation.body()).isEqualTo("{}");
        });
  }

  private static Scenario scenario(
      Map<String, String> env,
      String first,
      String second,
      java.util.function.BiConsumer<LambdaInvocation, LambdaEmulator> check) {
    return new Scenario(
        LambdaEmulator.builder(ARTIFACT, function.handler())
            .environment(env)
            .functionName("helix-scheduled-aggregator")
            .timeoutSeconds(function.timeoutSeconds())
            .memoryMb(function.memoryMb()),
        first,
        second,
        check);
  }

  private static TestDatabase database() {
    TestDatabase db = PostgresFixture.freshDatabase();
    // a scenario prepares and runs within a minute; the events are scheduled by the same day
    LocalDate yesterday = UtcDays.yesterdayForAtLeast(Duration.ofMinutes(1));
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(yesterday.minusDays(6), 7, 500, 2);
    }
    return db;
  }

  private static Map<String, String> environment(TestDatabase db, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(TemplateEnvironment.of(function, db, Map.of()));
    env.putAll(extra);
    return env;
  }

  /** A run of the aggregator in this JVM, to bring the database to the scenario's state. */
  private static void runInProcess(Map<String, String> env, String event) {
    HelixWiring wiring = HelixWiring.fromEnvironment(env, Clock.systemUTC());
    ScheduledAggregationHandler handler =
        new ScheduledAggregationHandler(wiring.scheduledRuns(), Clock.systemUTC());
    try {
      handler.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream(),
          LambdaTestContext.of("helix-scheduled-aggregator", Duration.ofMinutes(15)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      wiring.aggregation().close();
    }
  }

  private static void assertSucceeded(LambdaInvocation invocation, LambdaEmulator lambda) {
    assertThat(invocation.failed()).as(lambda.log()).isFalse();
    // The EMF library's Lambda sink (standard output) works without the dependencies cut.
    assertThat(lambda.log()).contains("\"_aws\"").contains("\"NewestVerifiedDayAgeHours\"");
  }

  private static JsonNode attempts(LambdaInvocation invocation) {
    try {
      return JSON.readTree(invocation.body()).get("attempts");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the template's schedule sends, with the scheduler's context attributes filled in. */
  static String scheduled(String mode, Instant time) {
    return "{\"mode\":\""
        + mode
        + "\",\"scheduledTime\":\""
        + time
        + "\",\"attempt\":\"1\",\"executionId\":\"cold-start\"}";
  }
}
