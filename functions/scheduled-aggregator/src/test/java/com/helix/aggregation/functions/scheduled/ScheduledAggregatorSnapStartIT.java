package com.helix.aggregation.functions.scheduled;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.SecretRoles;
import com.helix.aggregation.testing.SnapStartRuntime;
import com.helix.aggregation.testing.TemplateEnvironment;
import com.helix.aggregation.testing.TemplateFunction;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.wiring.HelixWiring;
import com.helix.aggregation.wiring.RenewableRandom;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart hygiene of the aggregator (SPEC §9), with the Lambda runtime's own CRaC context driven
 * as the runtime drives it ({@link SnapStartRuntime}; there is no CRaC JVM here, so nothing is
 * snapshotted and restore time is not measured). The aggregator is built as Lambda's constructor
 * builds it, from the template's environment; its sessions log in as roles of this test's own.
 */
class ScheduledAggregatorSnapStartIT {
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
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(yesterday.minusDays(6), 7, 200, 3);
    }
    Map<String, String> env =
        TemplateEnvironment.of(TemplateFunction.of("ScheduledAggregatorFunction"), db, Map.of());
    String secret = env.get(HelixConfig.DB_SECRET_ARN);
    SecretRoles.rotate(secret, db, before);
    HelixWiring wiring = HelixWiring.fromEnvironment(env, Clock.systemUTC());
    ScheduledAggregationHandler handler = new ScheduledAggregationHandler(wiring);
    RenewableRandom random = wiring.aggregation().random();

    SnapStartRuntime.checkpoint();
    assertThat(SecretRoles.sessions(db, before)).as("sessions in the snapshot").isEmpty();
    SnapStartRuntime.restore();

    assertThat(run(handler, "daily")).contains(yesterday + " aggregated");
    List<Long> first = SecretRoles.sessions(db, before);
    assertThat(first).hasSize(1);
    long[] drawnBefore = LongStream.generate(random::nextLong).limit(4).toArray();

    SnapStartRuntime.checkpoint();
    assertThat(SecretRoles.sessions(db, before)).as("sessions held at the checkpoint").isEmpty();
    SecretRoles.rotate(secret, db, after);
    SnapStartRuntime.restore();

    assertThat(run(handler, "hourly")).isEmpty();
    assertThat(SecretRoles.sessions(db, after))
        .as("a new session, opened with the secret read again from Secrets Manager")
        .hasSize(1)
        .doesNotContainAnyElementsOf(first);
    assertThat(random.renewals()).isEqualTo(2);
    assertThat(LongStream.generate(random::nextLong).limit(4).toArray()).isNotEqualTo(drawnBefore);
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
    List<String> attempts = new java.util.ArrayList<>();
    new ObjectMapper()
        .readTree(out.toByteArray())
        .get("attempts")
        .forEach(a -> attempts.add(a.asText()));
    return attempts;
  }
}
