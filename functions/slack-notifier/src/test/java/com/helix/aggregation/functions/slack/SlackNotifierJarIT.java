package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.MotoFixture;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The deployable artifact, {@code target/slack-notifier.jar}: small, self-contained, and without
 * helix-core or anything the tests use.
 */
class SlackNotifierJarIT {
  private static final Path JAR = Path.of("target", "slack-notifier.jar");

  @Test
  void givenTheShadedJar_thenItHoldsTheNotifierAndItsRuntimeOnly() throws IOException {
    assertThat(Files.size(JAR)).as("bytes; the SDK makes most of it").isLessThan(10_000_000);
    List<String> entries;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      entries = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
    }

    assertThat(entries)
        .contains(
            "com/helix/aggregation/functions/slack/SlackAlarmNotifierHandler.class",
            "com/amazonaws/services/lambda/runtime/events/SNSEvent.class",
            // The runtime deserializes SNSEvent's Timestamp into joda-time from the function's jar.
            "org/joda/time/DateTime.class",
            "org/crac/Resource.class",
            "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
            "META-INF/services/software.amazon.awssdk.http.SdkHttpService");
    assertThat(entries)
        .filteredOn(
            e ->
                e.startsWith("com/helix/")
                    && e.endsWith(".class")
                    && !e.startsWith("com/helix/aggregation/functions/slack/"))
        .as("helix-core, main or test")
        .isEmpty();
    assertThat(entries)
        .filteredOn(
            e ->
                e.startsWith("org/postgresql/")
                    || e.startsWith("org/flywaydb/")
                    || e.startsWith("software/amazon/awssdk/services/dynamodb/")
                    || e.startsWith("software/amazon/awssdk/http/apache")
                    || e.startsWith("io/netty/")
                    || e.startsWith("com/fasterxml/jackson/databind/")
                    || e.startsWith("org/junit/")
                    || e.startsWith("org/assertj/")
                    || e.startsWith("com/amazonaws/services/lambda/runtime/tests/")
                    || e.endsWith("module-info.class")
                    || e.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"))
        .isEmpty();
  }

  @Test
  void givenOnlyTheShadedJar_whenLambdaWouldBuildTheHandler_thenAnAlarmReachesSlack()
      throws Exception {
    try (FakeSlack slack = new FakeSlack()) {
      String arn = MotoSecrets.create(slack.webhookUrl().toString());
      Path testClasses = Path.of("target", "test-classes");
      ProcessBuilder process =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              // The jar, and of the test classes only the two that drive it.
              JAR + File.pathSeparator + isolated(testClasses),
              ShadedJarInvocation.class.getName(),
              testClasses
                  .resolve("events/slack-notifier/alarms/helix-ok-transition.json")
                  .toString());
      process.environment().keySet().removeIf(k -> k.startsWith("HELIX_") || k.startsWith("AWS_"));
      process.environment().putAll(MotoFixture.environment());
      process.environment().put(SlackNotifierConfig.WEBHOOK_SECRET_ARN, arn);
      process.environment().put(SlackNotifierConfig.RUNBOOK_URL, "https://example.com/runbook.md");
      Path output = Files.createTempFile("slack-notifier-jar", ".log");
      Process run = process.redirectErrorStream(true).redirectOutput(output.toFile()).start();

      assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
      String log = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      assertThat(run.exitValue()).as(log).isZero();
      assertThat(log)
          .contains("\"event\":\"slack_alarm_posted\"")
          .doesNotContain(FakeSlack.SECRET_PATH);
      assertThat(SlackPayloads.texts(slack.onlyRequest().json()).get(0))
          .isEqualTo(":large_green_circle: OK: helix-aggregation-stale-yesterday");
    }
  }

  /**
   * A directory with just the classes that drive the jar, so nothing else of the tests leaks in.
   */
  private static Path isolated(Path testClasses) throws IOException {
    Path dir = Files.createTempDirectory(Path.of("target"), "slack-notifier-driver");
    String pkg = "com/helix/aggregation/functions/slack/";
    Files.createDirectories(dir.resolve(pkg));
    for (String name : List.of("ShadedJarInvocation", "TestContext", "TestContext$1")) {
      Path file = testClasses.resolve(pkg + name + ".class");
      if (Files.exists(file)) {
        Files.copy(file, dir.resolve(pkg + name + ".class"));
      }
    }
    return dir;
  }
}
