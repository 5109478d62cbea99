package com.helix.aggregation.functions.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.SnapStartScenario;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SnapStart hygiene of the worker ({@link SnapStartScenario}): one day per restore. */
class BackfillWorkerSnapStartIT {
  private static final LocalDate DAY = LocalDate.of(2025, 10, 1);

  @Test
  void givenACheckpointAndRestores_thenNothingIsHeldInTheSnapshotAndEverythingIsRenewed()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(DAY, 2, 500, 4);
    }
    SnapStartScenario.verify(
        db,
        "BackfillWorkerFunction",
        Map.of(HelixConfig.BATCH_DELAY_MS, "0"),
        wiring -> {
          BackfillWorkerHandler handler = new BackfillWorkerHandler(wiring);
          return restore -> process(handler, DAY.plusDays(restore - 1));
        });
    DayChecks.assertComputedOnceAndExact(db, DAY, DAY.plusDays(1));
  }

  private static void process(BackfillWorkerHandler handler, LocalDate day) {
    // Read as the runtime reads it.
    SQSEvent event =
        LambdaEventSerializers.serializerFor(SQSEvent.class, ClassLoader.getSystemClassLoader())
            .fromJson(WorkerScenarios.message(day));
    SQSBatchResponse response =
        handler.handleRequest(
            event, LambdaTestContext.of("helix-backfill-worker", Duration.ofMinutes(15)));
    assertThat(response.getBatchItemFailures()).isEmpty();
  }
}
