package com.helix.aggregation.functions.scheduled;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.SnapStartScenario;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.testing.UtcDays;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart hygiene of the aggregator ({@link SnapStartScenario}): the daily run after the first
 * restore, an hourly run with nothing to do after the second.
 */
class ScheduledAggregatorSnapStartIT {
  @Test
  void givenACheckpointAndRestores_thenNothingIsHeldInTheSnapshotAndEverythingIsRenewed()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    LocalDate yesterday = UtcDays.yesterdayForAtLeast(Duration.ofMinutes(2));
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(yesterday.minusDays(6), 7, 200, 3);
    }
    SnapStartScenario.verify(
        db,
        "ScheduledAggregatorFunction",
        Map.of(),
        wiring -> {
          ScheduledAggregationHandler handler = new ScheduledAggregationHandler(wiring);
          return restore -> {
            if (restore == 1) {
              assertThat(run(handler, "daily")).contains(yesterday + " aggregated");
            } else {
              assertThat(run(handler, "hourly")).isEmpty();
            }
          };
        });
  }

  /** Runs the schedule's input for now; returns the run's attempts. */
  private static List<String> run(ScheduledAggregationHandler handler, String mode)
      throws Exception {
    String event =
        ScheduledAggregatorColdStartIT.scheduled(
            mode, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
        out,
        LambdaTestContext.of("helix-scheduled-aggregator", Duration.ofMinutes(15)));
    List<String> attempts = new ArrayList<>();
    new ObjectMapper()
        .readTree(out.toByteArray())
        .get("attempts")
        .forEach(a -> attempts.add(a.asText()));
    return attempts;
  }
}
