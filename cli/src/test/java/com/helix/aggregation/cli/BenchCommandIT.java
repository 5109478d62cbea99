package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's shape and its promise to stay in its own schemas, on a small data set. How fast
 * anything is, is measured by running {@code helix bench}, never asserted here: the figures are
 * only checked to be there and to be sane (times positive, ratios finite).
 */
class BenchCommandIT {
  private static final List<String> AGGREGATION =
      List.of(
          "floor",
          "peer",
          "full",
          "unchanged",
          "hash",
          "verify",
          "floor_serial",
          "peer_serial",
          "full_serial");
  private static final List<String> CATCH_UP =
      List.of(
          "catchup_tracked",
          "catchup_tracked_run",
          "catchup_tracked_target",
          "catchup_untracked",
          "catchup_step_setup_check",
          "catchup_step_day_states",
          "catchup_step_find_between",
          "catchup_step_tracked_since",
          "catchup_step_changed_days",
          "catchup_step_newest_verified");
  private static final List<String> INGESTION_KINDS =
      List.of(
          "multirow_today",
          "multirow_past",
          "single_today",
          "single_past",
          "jdbc_batch_today",
          "jdbc_batch_past");

  @Test
  void givenASmallRun_thenATableAndABenchLineWithEveryFigure_andOnlyItsOwnSchemasTouched()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2026-01-05T10:00:00Z", "acct-1", "gpt-large", 1, 1, "1");
    assertThat(CliRun.of(db.environment(), "run", "--date", "2026-01-05").exitCode()).isZero();
    String before = db.ownedTablesFingerprint();
    long rawRows = db.count("SELECT count(*) FROM {raw}");
    String leaseTable = MotoFixture.createLeaseTable();
    Map<String, String> env = new HashMap<>(db.environment());
    env.put(HelixConfig.LEASE_TABLE, leaseTable);

    CliRun bench =
        CliRun.of(
            env,
            "bench",
            "--records-per-day",
            "2000",
            "--days",
            "2",
            "--repeat",
            "3",
            "--ingest-rows",
            "1000");

    assertThat(bench.exitCode()).as(bench.err()).isZero();
    assertThat(bench.out())
        .contains("ratios: full/peer")
        .contains("goal <= 2.00")
        .contains("catch-up of an unchanged week")
        .contains("ingestion, ms per 1,000 rows");
    JsonNode json = benchLine(bench);
    List<String> operations = new ArrayList<>(AGGREGATION);
    operations.addAll(CATCH_UP);
    for (String kind : INGESTION_KINDS) {
      for (String variant :
          List.of(
              "off",
              "statement",
              "statement_once_per_transaction",
              "row",
              "row_once_per_transaction")) {
        operations.add("ingest_" + kind + "_" + variant);
      }
    }
    for (String op : operations) {
      // a step of a few hundredths of a millisecond rounds to 0.0
      assertThat(json.at("/ms/" + op).asDouble()).as(op).isNotNegative();
      assertThat(json.at("/ms/" + op).isNumber()).as(op).isTrue();
      // one sample a repetition; three of the cheap tracked catch-up runs, four ingestion rounds
      int perRepetition =
          op.startsWith("catchup_t") || op.startsWith("catchup_step")
              ? 3
              : op.startsWith("ingest_") ? 4 : 1;
      assertThat(json.at("/spread_ms/" + op + "/samples").size())
          .as(op)
          .isEqualTo(3 * perRepetition);
    }
    for (String ratio :
        List.of(
            "full_vs_peer",
            "full_vs_peer_serial",
            "unchanged_vs_peer",
            "full_vs_floor",
            "catchup_tracked_vs_floor",
            "catchup_untracked_vs_floor")) {
      assertThat(json.at("/ratio/" + ratio).isNumber()).as(ratio).isTrue();
      assertThat(json.at("/ratio/" + ratio).asDouble()).as(ratio).isPositive();
    }
    for (String kind : INGESTION_KINDS) {
      String ratio = "tracking_overhead_" + kind;
      // a fraction: with tracking / without - 1, so more than -1 whatever the noise
      assertThat(json.at("/ratio/" + ratio).isNumber()).as(ratio).isTrue();
      assertThat(json.at("/ratio/" + ratio).asDouble()).as(ratio).isGreaterThan(-1);
      for (String variant :
          List.of("statement_once_per_transaction", "row", "row_once_per_transaction")) {
        assertThat(json.at("/trigger_design_overhead/" + variant + "/" + kind).isNumber())
            .as(variant + " " + kind)
            .isTrue();
      }
    }
    assertThat(json.get("postgres").asText()).isNotBlank();
    assertThat(json.get("fsync").asText()).isIn("on", "off");
    assertThat(json.get("synchronous_commit").asText()).isNotBlank();
    assertThat(json.at("/ingestion_settings/synchronous_commit").asText()).isEqualTo("on");
    assertThat(json.at("/jvm_heap_mb/allocated_during_full").asDouble()).isPositive();
    assertThat(json.get("records_per_day").asInt()).isEqualTo(2000);
    assertThat(json.get("days").asInt()).as("the catch-up's eight days").isEqualTo(8);

    assertThat(db.ownedTablesFingerprint()).as("the configured schema").isEqualTo(before);
    assertThat(db.count("SELECT count(*) FROM {raw}"))
        .as("the configured raw table")
        .isEqualTo(rawRows);
    assertThat(db.count("SELECT count(*) FROM helix_bench_raw.usage_records"))
        .as("the generated rows only: the ingested ones are deleted")
        .isEqualTo(16_000);
    assertThat(db.count("SELECT count(*) FROM helix_bench.daily_aggregates")).isEqualTo(8);
    assertThat(
            db.count(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
                    + " AND tgrelid = 'helix_bench_raw.usage_records'::regclass"))
        .as("no tracking trigger left on the benchmark's raw table")
        .isZero();
    try (var dynamo = MotoFixture.dynamo()) {
      assertThat(dynamo.scan(r -> r.tableName(leaseTable)).count())
          .as("no item in the configured lease table")
          .isZero();
    }
  }

  @Test
  void givenPartitionedByDay_thenTheGroupingPlanReadsTheDaysPartitionAlone() throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();

    CliRun bench =
        CliRun.of(
            db.environment(),
            "bench",
            "--partitioned",
            "--records-per-day",
            "500",
            "--days",
            "2",
            "--repeat",
            "1",
            "--no-catch-up",
            "--no-ingestion");

    assertThat(bench.exitCode()).as(bench.err()).isZero();
    JsonNode json = benchLine(bench);
    assertThat(json.get("layout").asText()).isEqualTo("raw table partitioned by day");
    String plan = json.get("grouping_plan").toString();
    assertThat(plan).contains("usage_records_20240301").doesNotContain("usage_records_20240302");
    assertThat(json.at("/ratio/full_vs_peer_serial").asDouble()).isPositive();
    assertThat(json.at("/ratio/catchup_tracked_vs_floor").isMissingNode()).isTrue();
    assertThat(db.count("SELECT count(*) FROM helix_bench_raw.usage_records")).isEqualTo(1000);
  }

  @Test
  void givenBadOptions_thenExitTwo() {
    CliRun run = CliRun.of(Map.of(), "bench", "--repeat", "0", "--embedded");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--repeat must be between 1 and 100, got 0");
  }

  private static JsonNode benchLine(CliRun bench) throws Exception {
    String line = bench.out().lines().filter(l -> l.startsWith("BENCH ")).findFirst().orElseThrow();
    return new ObjectMapper().readTree(line.substring("BENCH ".length()));
  }
}
