package com.helix.aggregation.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.testing.Reports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JsonJobLogTest {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final JsonJobLog log =
      new JsonJobLog(
          new PrintStream(buffer, true, StandardCharsets.UTF_8),
          Clock.fixed(Instant.parse("2026-11-28T00:05:05Z"), ZoneOffset.UTC));

  @Test
  void givenAStartAndACompletion_thenTwoJsonLinesWithTheContext() throws Exception {
    var report =
        Reports.aggregated(LocalDate.of(2026, 11, 27), Instant.parse("2026-11-28T00:05:03Z"));

    log.started(report.start());
    log.finished(report);

    String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonNode started = new ObjectMapper().readTree(lines[0]);
    JsonNode completed = new ObjectMapper().readTree(lines[1]);
    assertThat(started.get("event").asText()).isEqualTo("job_started");
    assertThat(completed.get("event").asText()).isEqualTo("job_completed");
    assertThat(completed.get("day").asText()).isEqualTo("2026-11-27");
    assertThat(completed.get("trigger").asText()).isEqualTo("schedule");
    assertThat(completed.get("attempt").asInt()).isEqualTo(1);
    assertThat(completed.get("outcome").asText()).isEqualTo("aggregated");
    assertThat(completed.get("duration_ms").asInt()).isEqualTo(1234);
    assertThat(completed.get("lease_token").asLong()).isEqualTo(42);
    assertThat(completed.get("request_id").asText()).isEqualTo("req-1");
    assertThat(completed.get("cost_total").asText()).isEqualTo("1.2500000001");
    assertThat(completed.get("verification").asText()).isEqualTo("verified");
  }

  @Test
  void givenAFailure_thenJobFailedWithTheCauseChain() throws Exception {
    log.finished(
        Reports.permanentlyFailed(
            LocalDate.of(2026, 11, 27), Instant.parse("2026-11-28T03:05:00Z")));

    JsonNode line = new ObjectMapper().readTree(buffer.toString(StandardCharsets.UTF_8));
    assertThat(line.get("event").asText()).isEqualTo("job_failed");
    assertThat(line.get("level").asText()).isEqualTo("ERROR");
    assertThat(line.get("outcome").asText()).isEqualTo("permanently-failed");
    assertThat(line.get("cause_chain").asText()).isEqualTo("DatabaseException: boom");
  }
}
