package com.helix.aggregation.functions.scheduled;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.LambdaEmulator;
import com.helix.aggregation.testing.LambdaInvocation;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TemplateEnvironment;
import com.helix.aggregation.testing.TemplateFunction;
import com.helix.aggregation.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's deployable artifact, unchanged, under the real Lambda Java runtime (AWS's
 * Runtime Interface Emulator), started with the template's handler string and environment: the
 * schedules' own inputs (filled as the scheduler fills them), a classic scheduled event, and a
 * refused one. It also reports the artifact's size and the emulator's init and first-invoke times.
 */
class ScheduledAggregatorArtifactIT {
  private static final Path ARTIFACT = Path.of("target", "scheduled-aggregator.jar");

  @Test
  void givenTheSchedulesInputs_thenTheArtifactRunsThemAsTheTemplateSays() throws Exception {
    TemplateFunction function = TemplateFunction.of("ScheduledAggregatorFunction");
    TestDatabase db = PostgresFixture.freshDatabase();
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(yesterday.minusDays(6), 7, 500, 2);
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try (LambdaEmulator lambda =
        LambdaEmulator.builder(ARTIFACT, function.handler())
            .environment(TemplateEnvironment.of(function, db, Map.of()))
            .functionName("helix-scheduled-aggregator")
            .timeoutSeconds(function.timeoutSeconds())
            .memoryMb(function.memoryMb())
            .start()) {
      LambdaInvocation daily = lambda.invoke(scheduled("daily", now));
      LambdaInvocation hourly = lambda.invoke(scheduled("hourly", now));
      LambdaInvocation classic = lambda.invoke(classicScheduledEvent(now));
      LambdaInvocation stale = lambda.invoke(scheduled("daily", "2020-01-01T00:05:00Z"));

      assertThat(daily.failed()).as(lambda.log()).isFalse();
      JsonNode response = new ObjectMapper().readTree(daily.body());
      assertThat(response.get("targetDay").asText()).isEqualTo(yesterday.toString());
      assertThat(response.get("attempts").get(0).asText()).isEqualTo(yesterday + " aggregated");
      assertThat(hourly.failed()).as(lambda.log()).isFalse();
      assertThat(new ObjectMapper().readTree(hourly.body()).get("attempts")).isEmpty();
      assertThat(classic.failed()).as(lambda.log()).isFalse();
      assertThat(new ObjectMapper().readTree(classic.body()).get("attempts").get(0).asText())
          .isEqualTo(yesterday + " unchanged");
      assertThat(stale.failed()).isTrue();
      assertThat(stale.body()).contains("is more than 72 hours old");
      System.out.printf(
          "scheduled-aggregator artifact %,d bytes; emulator init %s, first invoke %s, warm %s%n",
          Files.size(ARTIFACT),
          daily.initDuration().orElseThrow(),
          daily.duration().orElseThrow(),
          hourly.duration().orElseThrow());
    }
    DayChecks.assertComputedOnceAndExact(db, yesterday.minusDays(6), yesterday);
  }

  /** What the template's schedule sends, with the scheduler's context attributes filled in. */
  private static String scheduled(String mode, String time) {
    return "{\"mode\":\""
        + mode
        + "\",\"scheduledTime\":\""
        + time
        + "\",\"attempt\":\"1\",\"executionId\":\"d32c5kddcf5bb8c3\"}";
  }

  private static String classicScheduledEvent(String time) {
    return "{\"version\":\"0\",\"id\":\"fae0433b-7a0e-e383-7849-7e10153eaa47\","
        + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
        + "\"account\":\"123456789012\",\"time\":\""
        + time
        + "\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}";
  }
}
