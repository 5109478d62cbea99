package com.helix.aggregation.emf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.testing.CapturedEmf;
import com.helix.aggregation.testing.Reports;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EMF lines the library writes for an attempt, as CloudWatch would parse them. */
class EmfMetricsTest {
  private final CapturedEmf emf = new CapturedEmf();
  private final List<String> lines = emf.lines();
  private final EmfMetrics metrics = new EmfMetrics("Helix/Aggregation", emf);

  @Test
  void givenYesterdayAggregatedAndVerified_thenCountsAndTheLastSuccessTimestamp() throws Exception {
    Instant startedAt = Instant.parse("2026-11-28T00:05:03Z");

    metrics.attemptFinished(Reports.aggregated(LocalDate.of(2026, 11, 27), startedAt));

    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
    assertThat(directive.get("Namespace").asText()).isEqualTo("Helix/Aggregation");
    assertThat(directive.at("/Dimensions/0/0").asText()).isEqualTo("Job");
    assertThat(line.get("Job").asText()).isEqualTo("daily-aggregate");
    assertThat(line.get("day").asText()).isEqualTo("2026-11-27");
    assertThat(line.get(EmfMetrics.JOBS_STARTED).asInt()).isEqualTo(1);
    assertThat(line.get(EmfMetrics.JOBS_COMPLETED).asInt()).isEqualTo(1);
    assertThat(line.get(EmfMetrics.JOBS_FAILED).asInt()).isZero();
    assertThat(line.get(EmfMetrics.DAYS_AGGREGATED).asInt()).isEqualTo(1);
    assertThat(line.get(EmfMetrics.JOB_DURATION).asInt()).isEqualTo(1234);
    assertThat(line.get(EmfMetrics.LAST_SUCCESS).asLong())
        .isEqualTo(startedAt.plusMillis(1234).getEpochSecond());
  }

  @Test
  void givenAnOlderDay_thenNoLastSuccessTimestamp() throws Exception {
    metrics.attemptFinished(
        Reports.aggregated(LocalDate.of(2026, 11, 20), Instant.parse("2026-11-28T00:05:03Z")));

    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.has(EmfMetrics.LAST_SUCCESS)).isFalse();
  }

  @Test
  void givenAPermanentFailure_thenFailedAndPermanentlyFailedCounted() throws Exception {
    metrics.attemptFinished(
        Reports.permanentlyFailed(
            LocalDate.of(2026, 11, 27), Instant.parse("2026-11-28T03:05:00Z")));

    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get(EmfMetrics.JOBS_FAILED).asInt()).isEqualTo(1);
    assertThat(line.get(EmfMetrics.DAYS_PERMANENTLY_FAILED).asInt()).isEqualTo(1);
    assertThat(line.get(EmfMetrics.JOBS_COMPLETED).asInt()).isZero();
    assertThat(line.has(EmfMetrics.LAST_SUCCESS)).isFalse();
  }

  @Test
  void givenTheNewestVerifiedDay_thenItsAgeInHours_andNothingWithoutOne() throws Exception {
    metrics.freshness(
        java.util.Optional.of(LocalDate.of(2026, 11, 27)), Instant.parse("2026-11-28T06:30:00Z"));
    metrics.freshness(java.util.Optional.empty(), Instant.parse("2026-11-28T06:30:00Z"));

    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get(EmfMetrics.NEWEST_VERIFIED_AGE).asDouble()).isEqualTo(6.5);
    assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText())
        .isEqualTo("Helix/Aggregation");
    assertThat(line.get("Job").asText()).isEqualTo("daily-aggregate");
    assertThat(line.get("newestVerifiedDay").asText()).isEqualTo("2026-11-27");
  }
}
