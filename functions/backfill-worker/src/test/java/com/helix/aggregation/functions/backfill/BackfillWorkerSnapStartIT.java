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
import com.helix.aggregation.testing.SecretRoles;
import com.helix.aggregation.testing.SnapStartRuntime;
import com.helix.aggregation.testing.TemplateEnvironment;
import com.helix.aggregation.testing.TemplateFunction;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.wiring.HelixWiring;
import com.helix.aggregation.wiring.RenewableRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart hygiene of the worker (SPEC §9), with the Lambda runtime's own CRaC context driven as
 * the runtime drives it ({@link SnapStartRuntime}; there is no CRaC JVM here, so nothing is
 * snapshotted and restore time is not measured). The worker is built as Lambda's constructor builds
 * it, from the template's environment: its database is a secret in moto. Its sessions log in as a
 * role of this test's own, so they can be told from every other session on the server.
 */
class BackfillWorkerSnapStartIT {
  private static final LocalDate DAY = LocalDate.of(2025, 10, 1);

  private String before;
  private String after;

  @BeforeEach
  void createRoles() {
    before = SecretRoles.create();
    after = SecretRoles.create();
  }

  @AfterEach
  void dropRoles() {
    SecretRoles.drop(before);
    SecretRoles.drop(after);
  }

  @Test
  void givenACheckpointAndRestores_thenNothingIsHeldInTheSnapshotAndEverythingIsRenewed()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(DAY, 2, 500, 4);
    }
    TemplateFunction function = TemplateFunction.of("BackfillWorkerFunction");
    Map<String, String> env =
        TemplateEnvironment.of(function, db, Map.of(HelixConfig.BATCH_DELAY_MS, "0"));
    String secret = env.get(HelixConfig.DB_SECRET_ARN);
    SecretRoles.rotate(secret, db, before);
    HelixWiring wiring = HelixWiring.fromEnvironment(env, Clock.systemUTC());
    BackfillWorkerHandler handler = new BackfillWorkerHandler(wiring); // Lambda's constructor
    RenewableRandom random = wiring.aggregation().random();

    // The snapshot of a freshly initialised worker: primed, and never connected.
    SnapStartRuntime.checkpoint();
    assertThat(SecretRoles.sessions(db, before)).as("sessions in the snapshot").isEmpty();
    SnapStartRuntime.restore();
    assertThat(random.renewals()).isEqualTo(1);

    process(handler, DAY);
    List<Long> first = SecretRoles.sessions(db, before);
    assertThat(first).as("the worker's one session").hasSize(1);
    long[] drawnBefore = draw(random);

    // A snapshot taken later (the worker holds a session and the secret), then a rotation.
    SnapStartRuntime.checkpoint();
    assertThat(SecretRoles.sessions(db, before)).as("sessions held at the checkpoint").isEmpty();
    SecretRoles.rotate(secret, db, after);
    SnapStartRuntime.restore();

    process(handler, DAY.plusDays(1));
    List<Long> second = SecretRoles.sessions(db, after);
    assertThat(second)
        .as("a new session, opened with the secret read again from Secrets Manager")
        .hasSize(1)
        .doesNotContainAnyElementsOf(first);
    assertThat(SecretRoles.sessions(db, before)).isEmpty();
    assertThat(random.renewals()).as("a newly seeded jitter generator per restore").isEqualTo(2);
    assertThat(draw(random)).isNotEqualTo(drawnBefore);
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

  private static long[] draw(RenewableRandom random) {
    return LongStream.generate(random::nextLong).limit(4).toArray();
  }
}
