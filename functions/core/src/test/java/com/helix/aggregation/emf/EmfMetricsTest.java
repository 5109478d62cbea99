package com.helix.aggregation.emf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.testing.Reports;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/** The EMF lines the library writes for an attempt, as CloudWatch would parse them. */
class EmfMetricsTest {
  private final List<String> lines = new ArrayList<>();
  private final EmfMetrics metrics = new EmfMetrics("Helix/Aggregation", capturing());

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

  private Environment capturing() {
    ISink sink =
        new ISink() {
          @Override
          public void accept(MetricsContext context) {
            try {
              lines.addAll(context.serialize());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
          }
        };
    return new Environment() {
      @Override
      public boolean probe() {
        return true;
      }

      @Override
      public String getName() {
        return "test";
      }

      @Override
      public String getType() {
        return "test";
      }

      @Override
      public String getLogGroupName() {
        return "test";
      }

      @Override
      public void configureContext(MetricsContext context) {}

      @Override
      public ISink getSink() {
        return sink;
      }
    };
  }
}
