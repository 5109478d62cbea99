package com.helix.aggregation.functions.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.LambdaEmulator;
import com.helix.aggregation.testing.LambdaInvocation;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TemplateEnvironment;
import com.helix.aggregation.testing.TemplateFunction;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.wiring.HelixWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's deployable artifact, unchanged, under the real Lambda Java runtime (AWS's Runtime
 * Interface Emulator and runtime interface client, no Docker), started with the template's own
 * handler string and environment variables (each given a value of this test's PostgreSQL and moto;
 * the database credentials come from a secret in moto's Secrets Manager, as on AWS). What
 * in-process tests cannot catch: a handler string that does not match, a class missing from the
 * artifact, an event the runtime reads differently.
 */
class BackfillWorkerArtifactIT {
  private static final Path ARTIFACT = Path.of("target", "backfill-worker.jar");
  private static final LocalDate FIRST = LocalDate.of(2025, 10, 1);
  private static final List<String> FIXTURES =
      List.of(
          "events/backfill-worker/one-day.json",
          "events/backfill-worker/batch-of-three.json",
          "events/backfill-worker/poison.json",
          "events/sqs/sqs-event-fifo.json",
          "events/sqs/sqs-event-standard-2-records.json");

  private static TemplateFunction function;

  @BeforeAll
  static void readTheTemplate() {
    function = TemplateFunction.of("BackfillWorkerFunction");
  }

  @Test
  void givenTheFixtures_thenTheArtifactAnswersAsTheHandlerDoesInProcess() throws Exception {
    TestDatabase inProcessDb = database();
    TestDatabase emulatedDb = database();
    List<String> inProcess = new ArrayList<>();
    BackfillWorkerHandler handler =
        new BackfillWorkerHandler(
            HelixWiring.fromEnvironment(environment(inProcessDb), Clock.systemUTC())
                .backfillWorker(),
            Clock.systemUTC());
    for (String fixture : FIXTURES) {
      SQSBatchResponse response =
          handler.handleRequest(
              EventLoader.loadSQSEvent(fixture),
              LambdaTestContext.of("helix-backfill-worker", Duration.ofMinutes(15)));
      inProcess.add(failures(new ObjectMapper().valueToTree(response)));
    }

    List<String> emulated = new ArrayList<>();
    try (LambdaEmulator lambda =
        LambdaEmulator.builder(ARTIFACT, function.handler())
            .environment(environment(emulatedDb))
            .functionName("helix-backfill-worker")
            .timeoutSeconds(function.timeoutSeconds())
            .memoryMb(function.memoryMb())
            .start()) {
      List<LambdaInvocation> invocations = new ArrayList<>();
      for (String fixture : FIXTURES) {
        LambdaInvocation invocation = lambda.invoke(resource(fixture));
        assertThat(invocation.failed()).as(fixture + "\n" + lambda.log()).isFalse();
        emulated.add(failures(new ObjectMapper().readTree(invocation.body())));
        invocations.add(invocation);
      }
      System.out.printf(
          "backfill-worker artifact %,d bytes; emulator init %s, first invoke %s, second %s%n",
          Files.size(ARTIFACT),
          invocations.get(0).initDuration().orElseThrow(),
          invocations.get(0).duration().orElseThrow(),
          invocations.get(1).duration().orElseThrow());
    }

    assertThat(emulated).isEqualTo(inProcess);
    DayChecks.assertComputedOnceAndExact(emulatedDb, FIRST, FIRST.plusDays(2));
    assertThat(emulatedDb.count("SELECT count(*) FROM {schema}.job_runs"))
        .isEqualTo(inProcessDb.count("SELECT count(*) FROM {schema}.job_runs"));
  }

  @Test
  void givenAWrongHandlerString_thenTheInvocationFails() {
    try (LambdaEmulator lambda =
        LambdaEmulator.builder(
                ARTIFACT, function.handler().replace("BackfillWorkerHandler", "BackfillHandler"))
            .environment(environment(database()))
            .start()) {
      LambdaInvocation invocation = lambda.invoke(resource(FIXTURES.get(0)));

      assertThat(invocation.failed()).isTrue();
      assertThat(invocation.body()).contains("ClassNotFoundException");
    }
  }

  @Test
  void givenAnArtifactMissingADependency_thenTheInvocationFails(@TempDir Path tmp)
      throws IOException {
    Path withoutJoda = tmp.resolve("backfill-worker-without-joda.jar");
    copyWithout(ARTIFACT, withoutJoda, "org/joda/");
    try (LambdaEmulator lambda =
        LambdaEmulator.builder(withoutJoda, function.handler())
            .environment(environment(database()))
            .start()) {
      LambdaInvocation invocation = lambda.invoke(resource(FIXTURES.get(0)));

      assertThat(invocation.failed()).isTrue();
      assertThat(invocation.body()).contains("org.joda.time.DateTime");
    }
  }

  // --- helpers ---

  private static TestDatabase database() {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 3, 500, 4);
    }
    return db;
  }

  private static Map<String, String> environment(TestDatabase db) {
    return TemplateEnvironment.of(function, db, Map.of(HelixConfig.BATCH_DELAY_MS, "0"));
  }

  private static String failures(JsonNode response) {
    List<String> ids = new ArrayList<>();
    response.get("batchItemFailures").forEach(f -> ids.add(f.get("itemIdentifier").asText()));
    return ids.toString();
  }

  private static String resource(String name) {
    try (InputStream in =
        BackfillWorkerArtifactIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyWithout(Path from, Path to, String prefix) throws IOException {
    try (JarFile jar = new JarFile(from.toFile());
        OutputStream file = Files.newOutputStream(to);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry entry : Collections.list(jar.entries())) {
        if (!entry.getName().startsWith(prefix)) {
          out.putNextEntry(new ZipEntry(entry.getName()));
          try (InputStream in = jar.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
  }
}
