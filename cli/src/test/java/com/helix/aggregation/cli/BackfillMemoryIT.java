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
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3, §7: a one-year backfill completes within a 128 MB heap, and memory does not grow with a
 * day's size. A year of 20,000 records a day plus one day of 620,000 (7.9 million rows), backfilled
 * by the CLI in a JVM started with {@code -Xmx128m}, at the default throttle (7 days per batch,
 * 1000 ms between batches). The peak heap the process used is measured and bounded; the figures go
 * to target/ for the record.
 */
class BackfillMemoryIT {
  private static final LocalDate FIRST = LocalDate.of(2025, 1, 1);
  private static final LocalDate LAST = LocalDate.of(2025, 12, 31);

  /**
   * One day that Java could not hold: 620,000 rows. The JDBC driver alone buffers a result row as
   * seven byte arrays (about 290 bytes), and as Java objects (a Long, a Timestamp, two Strings, two
   * Longs and a BigDecimal) it is about 250 bytes more: 150 MB or more for this day, beyond the
   * bound below and the 128 MB heap. A regression that reads a day's rows into Java fails here.
   */
  private static final LocalDate BIG_DAY = LocalDate.of(2025, 6, 15);

  private static final int BIG_DAY_RECORDS = 620_000;

  /**
   * The most heap the backfill may use, garbage included (the sum of the heap pools' peaks). The
   * backfill measured 27-29 MB: the CLI, Flyway, the JDBC driver and the per-batch bookkeeping,
   * whatever the day's size. 64 MB leaves more than twice that for GC timing and JVM differences,
   * and is half the heap: rows of the big day held in Java would need far more.
   */
  private static final double PEAK_HEAP_BOUND_MB = 64;

  @Test
  void givenAYearWithOneHugeDay_thenTheBackfillCompletesUsingAtMostHalfOfA128MbHeap(
      @TempDir Path tmp) throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    long generated;
    try (var session = db.open()) {
      UsageGenerator generator = new UsageGenerator(session, db.rawTable());
      generated = generator.generate(FIRST, 365, 20_000, 2025);
      generated += generator.generateDay(BIG_DAY, BIG_DAY_RECORDS - 20_000, 2026);
    }
    assertThat(generated).isEqualTo(7_900_000);
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
    Path out = tmp.resolve("backfill.out");
    Path err = tmp.resolve("backfill.err");
    long started = System.nanoTime();
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(30, TimeUnit.MINUTES)).isTrue();
    double wallSeconds = (System.nanoTime() - started) / 1e9;
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(stdout + stderr).isZero();
    assertThat(stdout).contains("Aggregated 7/365 days").contains("365 aggregated");
    DayChecks.assertComputedOnceAndExact(db, FIRST, LAST);
    assertThat(
            db.value("SELECT record_count FROM {schema}.daily_aggregates WHERE day = ?", BIG_DAY))
        .isEqualTo((long) BIG_DAY_RECORDS);

    Matcher measured =
        Pattern.compile(
                "max_heap_mb=(\\d+) peak_heap_mb=([\\d.]+) peak_heap_after_gc_mb=([\\d.]+)"
                    + " collections=(\\d+) peak_rss_mb=([\\d.]+)")
            .matcher(stderr);
    assertThat(measured.find()).as(stderr).isTrue();
    assertThat(Integer.parseInt(measured.group(1))).isLessThanOrEqualTo(128);
    assertThat(Double.parseDouble(measured.group(2)))
        .as("peak heap in use, MB (%s)", measured.group())
        .isLessThanOrEqualTo(PEAK_HEAP_BOUND_MB);
    Matcher times =
        Pattern.compile("in ([\\d.]+) s \\(([\\d.]+) s of it in pauses").matcher(stdout);
    assertThat(times.find()).as(stdout).isTrue();
    String report =
        String.format(
            "1-year backfill (364 days x 20,000 records + 1 day x 620,000 = 7,900,000 rows),"
                + " -Xmx128m: exit 0, peak heap %s MB (bound %.0f MB, max %s MB), peak heap after"
                + " a collection %s MB (%s collections), peak RSS %s MB, backfill %s s of which"
                + " %s s pauses between batches, process wall time %.1f s%n",
            measured.group(2),
            PEAK_HEAP_BOUND_MB,
            measured.group(1),
            measured.group(3),
            measured.group(4),
            measured.group(5),
            times.group(1),
            times.group(2),
            wallSeconds);
    System.out.print(report);
    Files.writeString(Path.of("target", "backfill-memory-report.txt"), report);
  }
}
