package com.helix.aggregation.cli;

import com.helix.aggregation.bench.AggregationBenchmark;
import com.helix.aggregation.bench.BenchResult;
import com.helix.aggregation.config.HelixConfig;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code helix bench}: the aggregation against the floor and a naive peer, with parallel query on
 * and off, the unchanged catch-up of a week with change tracking on and off, and ingestion with and
 * without tracking, in one run. It works in its own schemas only (helix_bench, helix_bench_raw;
 * dropped and recreated each run). Its embedded server runs with fsync on.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure aggregation (full and unchanged), the source hash and verification against the"
            + " floor (count and sum of the day) and a naive peer (one INSERT ... GROUP BY ... ON"
            + " CONFLICT), with parallel query on and off; the unchanged catch-up of a week with"
            + " change tracking on and off; and inserts into the raw table with and without"
            + " tracking; interleaved over repetitions, in the schemas helix_bench and"
            + " helix_bench_raw only. Prints a table and one line BENCH {json}.")
final class BenchCommand implements Callable<Integer> {
  @ParentCommand HelixCommand cli;
  @Mixin DatabaseOptions database;

  @Option(
      names = "--records-per-day",
      paramLabel = "N",
      description = "Generated records per day (default: ${DEFAULT-VALUE}).")
  int recordsPerDay = 1_000_000;

  @Option(
      names = "--days",
      paramLabel = "K",
      description =
          "Days of data the aggregation rotates over (default: ${DEFAULT-VALUE}); the catch-up"
              + " generates 8 in all.")
  int days = 3;

  @Option(
      names = "--repeat",
      paramLabel = "R",
      description = "Measured repetitions of every operation (default: ${DEFAULT-VALUE}).")
  int repeat = 5;

  @Option(
      names = "--partitioned",
      paramLabel = "day|month",
      arity = "0..1",
      fallbackValue = "day",
      description =
          "Partition the raw table by range of occurred_at, one partition a day (or a month),"
              + " and print the plan of a day's grouping scan.")
  String partitioned;

  @Option(
      names = "--catch-up",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Measure the unchanged catch-up of a week (default: on; needs 8 days of data).")
  boolean catchUp;

  @Option(
      names = "--ingestion",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Measure inserts with and without change tracking (default: on).")
  boolean ingestion;

  @Option(
      names = "--ingest-rows",
      paramLabel = "M",
      description =
          "Rows inserted per way of inserting, day, tracking variant and repetition, multi-row and"
              + " batched (a tenth of it single-row), in four rounds (default: ${DEFAULT-VALUE}).")
  int ingestRows = 20_000;

  @Override
  public Integer call() {
    if (recordsPerDay < 1 || recordsPerDay > 50_000_000) {
      throw new UsageException(
          "--records-per-day must be between 1 and 50000000, got " + recordsPerDay);
    }
    if (days < 1 || days > 31) {
      throw new UsageException("--days must be between 1 and 31, got " + days);
    }
    if (repeat < 1 || repeat > 100) {
      throw new UsageException("--repeat must be between 1 and 100, got " + repeat);
    }
    if (ingestRows < 10 || ingestRows > 1_000_000) {
      throw new UsageException("--ingest-rows must be between 10 and 1000000, got " + ingestRows);
    }
    AggregationBenchmark.Options options =
        new AggregationBenchmark.Options(
            recordsPerDay, days, repeat, layout(), catchUp, ingestion, ingestRows);
    HelixConfig config = HelixConfig.fromEnvironment(cli.env);
    try (DatabaseTarget target =
        DatabaseTarget.open(database, config, AggregationBenchmark.EMBEDDED_SETTINGS)) {
      BenchResult result =
          new AggregationBenchmark(target.url("helix bench"), cli.env, cli.clock, cli.out)
              .run(options);
      result.printTable(cli.out);
      cli.out.println(result.benchLine());
      return CliErrors.OK;
    }
  }

  private AggregationBenchmark.Layout layout() {
    if (partitioned == null) {
      return AggregationBenchmark.Layout.PLAIN;
    }
    return switch (partitioned.toLowerCase(Locale.ROOT)) {
      case "day" -> AggregationBenchmark.Layout.DAY_PARTITIONS;
      case "month" -> AggregationBenchmark.Layout.MONTH_PARTITIONS;
      default -> throw new UsageException("--partitioned takes day or month, got " + partitioned);
    };
  }
}
