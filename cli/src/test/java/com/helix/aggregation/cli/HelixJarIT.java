package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shaded {@code helix.jar} as a user runs it: a separate JVM, real exit codes. */
class HelixJarIT {
  private static final Path JAR = Path.of("target", "helix.jar");

  @Test
  void givenAFreshMachine_whenTheDemoRuns_thenItShowsTheWholeJobAndExitsZero() throws Exception {
    Result demo = helix(Map.of(), "demo", "--days", "10", "--records-per-day", "2000");

    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(demo.out())
        .contains("aggregated revision 1")
        .contains("9 aggregated, 1 unchanged")
        .contains("1 aggregated, 9 unchanged")
        .contains("only the changed day was recomputed")
        .contains("is now revision 2")
        .contains("kept in daily_aggregate_history")
        .contains("Freshness: yesterday");
  }

  @Test
  void givenBadUsage_thenExitTwoAndOneLineWithoutStackTrace() throws Exception {
    Result run = helix(Map.of(), "run", "--date", "2026-01-05T00:00:00Z");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("is a timestamp").doesNotContain("\tat ");
  }

  @Test
  void givenAnUnreachableDatabase_thenExitOne() throws Exception {
    Result run =
        helix(Map.of("HELIX_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/helix?user=x"), "status");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("cannot connect to the database").doesNotContain("\tat ");
  }

  private record Result(int code, String out, String err) {}

  private static Result helix(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    assertThat(JAR).exists();
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("HELIX_"));
    builder.environment().putAll(env);
    Path out = Files.createTempFile("helix-out", ".txt");
    Path err = Files.createTempFile("helix-err", ".txt");
    try {
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("helix " + String.join(" ", args) + " ran for 5 minutes");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
