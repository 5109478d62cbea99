package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SPEC §7: a one-year backfill completes within a 128 MB heap. A year of 20,000 records a day (7.3
 * million rows), backfilled by the CLI in a JVM started with {@code -Xmx128m}, at the default
 * throttle (7 days per batch, 1000 ms between batches). The figures go to target/ for the record.
 */
class BackfillMemoryIT {
  private static final LocalDate FIRST = LocalDate.of(2025, 1, 1);
  private static final LocalDate LAST = LocalDate.of(2025, 12, 31);

  @Test
  void givenAYearOfTwentyThousandRecordsADay_thenTheBackfillCompletesInA128MbHeap()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    long generated;
    try (var session = db.open()) {
      generated = new UsageGenerator(session, db.rawTable()).generate(FIRST, 365, 20_000, 2025);
    }
    assertThat(generated).isEqualTo(7_300_000);
    db.execute("ANALYZE {raw}");

    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                MeasuredMain.class.getName(),
                "backfill",
                "--from",
                FIRST.toString(),
                "--to",
                LAST.toString(),
                "--local"));
    builder.environment().keySet().removeIf(k -> k.startsWith("HELIX_"));
    builder.environment().putAll(db.environment());
    Path out = Files.createTempFile("backfill", ".out");
    Path err = Files.createTempFile("backfill", ".err");
    long started = System.nanoTime();
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(30, TimeUnit.MINUTES)).isTrue();
    double wallSeconds = (System.nanoTime() - started) / 1e9;
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(stdout + stderr).isZero();
    assertThat(stdout).contains("Aggregated 7/365 days").contains("365 aggregated");
    DayChecks.assertComputedOnceAndExact(db, FIRST, LAST);

    Matcher measured =
        Pattern.compile("max_heap_mb=(\\d+) peak_heap_mb=([\\d.]+) peak_rss_mb=([\\d.]+)")
            .matcher(stderr);
    assertThat(measured.find()).as(stderr).isTrue();
    assertThat(Integer.parseInt(measured.group(1))).isLessThanOrEqualTo(128);
    Matcher times =
        Pattern.compile("in ([\\d.]+) s \\(([\\d.]+) s of it in pauses").matcher(stdout);
    assertThat(times.find()).as(stdout).isTrue();
    String report =
        String.format(
            "1-year backfill (365 days x 20,000 records = 7,300,000 rows), -Xmx128m: exit 0,"
                + " peak heap %s MB (max %s MB), peak RSS %s MB, backfill %s s of which %s s"
                + " pauses between batches, process wall time %.1f s%n",
            measured.group(2),
            measured.group(1),
            measured.group(3),
            times.group(1),
            times.group(2),
            wallSeconds);
    System.out.print(report);
    Files.writeString(Path.of("target", "backfill-memory-report.txt"), report);
  }
}
