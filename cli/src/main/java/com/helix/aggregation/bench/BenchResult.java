package com.helix.aggregation.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one benchmark run: medians and spread per operation, and their ratios.
 *
 * @param samples milliseconds per operation (ingestion: per 1,000 rows)
 * @param server the server's settings
 * @param details what else the run found: the raw table's layout, the JVM heap, the plan of a day's
 *     grouping scan, the ingestion's settings
 */
public record BenchResult(
    AggregationBenchmark.Options options,
    AggregationBenchmark.Samples samples,
    Map<String, String> server,
    Map<String, Object> details) {

  /** The goals of issues 3 and 12, for the printed table. */
  static final double FULL_VS_PEER_GOAL = 2.0;

  static final double UNCHANGED_VS_PEER_GOAL = 1.25;
  static final double CATCHUP_TRACKED_GOAL = 0.05;
  static final double MULTIROW_OVERHEAD_GOAL = 0.10;
  static final double SINGLE_OVERHEAD_GOAL = 0.25;

  private static final String[] KINDS = {"multirow", "single", "jdbc_batch"};
  private static final String[] DAYS = {"today", "past"};
  private static final List<String> VARIANTS =
      List.of("statement", "statement_once_per_transaction", "row", "row_once_per_transaction");

  public boolean has(String operation) {
    return samples.asMap().containsKey(operation);
  }

  public double median(String operation) {
    List<Double> sorted = new ArrayList<>(samples.asMap().get(operation));
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public double min(String operation) {
    return Collections.min(samples.asMap().get(operation));
  }

  public double max(String operation) {
    return Collections.max(samples.asMap().get(operation));
  }

  /** The ratios of the issues: times as multiples, catch-ups and overheads as fractions. */
  public Map<String, Double> ratios() {
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("full_vs_peer", median("full") / median("peer"));
    ratios.put("full_vs_peer_serial", median("full_serial") / median("peer_serial"));
    ratios.put("unchanged_vs_peer", median("unchanged") / median("peer"));
    ratios.put("full_vs_floor", median("full") / median("floor"));
    ratios.put("full_vs_floor_serial", median("full_serial") / median("floor_serial"));
    if (has("catchup_tracked")) {
      ratios.put("catchup_tracked_vs_floor", median("catchup_tracked") / median("floor"));
      ratios.put("catchup_untracked_vs_floor", median("catchup_untracked") / median("floor"));
    }
    if (has("ingest_multirow_today_off")) {
      for (String kind : KINDS) {
        for (String day : DAYS) {
          ratios.put("tracking_overhead_" + kind + "_" + day, overhead(kind, day, "statement"));
        }
      }
    }
    return ratios;
  }

  /** The row-level trigger variants' overheads, for the choice of design (not goals). */
  public Map<String, Map<String, Double>> triggerDesigns() {
    Map<String, Map<String, Double>> designs = new LinkedHashMap<>();
    if (!has("ingest_multirow_today_off")) {
      return designs;
    }
    for (String variant : VARIANTS) {
      Map<String, Double> overheads = new LinkedHashMap<>();
      for (String kind : KINDS) {
        for (String day : DAYS) {
          overheads.put(kind + "_" + day, round3(overhead(kind, day, variant)));
        }
      }
      designs.put(variant, overheads);
    }
    return designs;
  }

  private double overhead(String kind, String day, String variant) {
    String prefix = "ingest_" + kind + "_" + day + "_";
    return median(prefix + variant) / median(prefix + "off") - 1;
  }

  /** The readable table. */
  public void printTable(PrintStream out) {
    out.printf(
        "%nhelix bench: %,d records a day, %d day(s), %d repetition(s), %s; PostgreSQL %s,"
            + " fsync=%s, synchronous_commit=%s, max_parallel_workers_per_gather=%s%n",
        options.recordsPerDay(),
        options.dataDays(),
        options.repeat(),
        details.get("layout"),
        server.get("server_version"),
        server.get("fsync"),
        server.get("synchronous_commit"),
        server.get("max_parallel_workers_per_gather"));
    out.printf("  %-28s %10s %21s  %s%n", "operation", "median ms", "min..max ms", "what");
    for (Map.Entry<String, String> row : what().entrySet()) {
      if (has(row.getKey())) {
        printRow(out, row.getKey(), row.getValue());
      }
    }
    Map<String, Double> r = ratios();
    out.printf(
        "  ratios: full/peer %.2f and with parallel query off %.2f (goal <= %.2f);"
            + " unchanged/peer %.2f (goal <= %.2f); full/floor %.2f, off %.2f%n",
        r.get("full_vs_peer"),
        r.get("full_vs_peer_serial"),
        FULL_VS_PEER_GOAL,
        r.get("unchanged_vs_peer"),
        UNCHANGED_VS_PEER_GOAL,
        r.get("full_vs_floor"),
        r.get("full_vs_floor_serial"));
    if (r.containsKey("catchup_tracked_vs_floor")) {
      out.printf(
          "  catch-up of an unchanged week / one day's floor: tracked %.3f (goal <= %.2f),"
              + " untracked %.3f%n",
          r.get("catchup_tracked_vs_floor"),
          CATCHUP_TRACKED_GOAL,
          r.get("catchup_untracked_vs_floor"));
    }
    if (r.containsKey("tracking_overhead_multirow_today")) {
      printIngestion(out, r);
    }
    printDetails(out);
  }

  private void printRow(PrintStream out, String op, String what) {
    out.printf("  %-28s %10.1f %10.1f..%-10.1f  %s%n", op, median(op), min(op), max(op), what);
  }

  private void printIngestion(PrintStream out, Map<String, Double> r) {
    out.printf(
        "%n  ingestion, ms per 1,000 rows (median), %s; overhead = with/without - 1%n",
        details.get("ingestion_settings"));
    out.printf(
        "  %-18s %9s %9s %9s %9s %9s   %s%n",
        "kind, day",
        "off",
        "statement",
        "stmt-once",
        "row",
        "row-once",
        "overhead: statement / stmt-once / row / row-once");
    for (String kind : KINDS) {
      for (String day : DAYS) {
        String prefix = "ingest_" + kind + "_" + day + "_";
        out.printf("  %-18s %9.1f", kind + ", " + day, median(prefix + "off"));
        for (String variant : VARIANTS) {
          out.printf(" %9.1f", median(prefix + variant));
        }
        out.print("  ");
        for (String variant : VARIANTS) {
          out.printf(" %+.3f", overhead(kind, day, variant));
        }
        out.println();
      }
    }
    out.printf(
        "  goals (statement-level, today): multi-row %+.3f (<= %.2f), single-row %+.3f (<= %.2f)%n",
        r.get("tracking_overhead_multirow_today"),
        MULTIROW_OVERHEAD_GOAL,
        r.get("tracking_overhead_single_today"),
        SINGLE_OVERHEAD_GOAL);
  }

  private void printDetails(PrintStream out) {
    out.printf("%n  JVM heap (MB): %s%n", details.get("jvm_heap_mb"));
    Object plan = details.get("grouping_plan");
    if (plan instanceof List<?> lines) {
      out.printf("  plan of a day's grouping scan, %s:%n", details.get("layout"));
      lines.forEach(line -> out.println("    " + line));
    }
  }

  private static Map<String, String> what() {
    Map<String, String> what = new LinkedHashMap<>();
    what.put("floor", "SELECT count(*), sum(cost_usd) of the day: what any aggregation reads");
    what.put("peer", "one INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE (a cron job)");
    what.put(
        "full", "aggregate() of a day never aggregated: lease, hash, breakdown, verify, job run");
    what.put("unchanged", "aggregate() of a verified, unchanged day");
    what.put("hash", "the source hash alone");
    what.put("verify", "the verification alone");
    what.put("floor_serial", "floor, parallel query off");
    what.put("peer_serial", "peer, parallel query off");
    what.put("full_serial", "full, parallel query off");
    what.put(
        "catchup_untracked",
        "daily run over an unchanged week minus its target's attempt, tracking off");
    what.put("catchup_tracked", "the same, tracking on (days aggregated since it began)");
    what.put("catchup_tracked_run", "  the tracked run in all");
    what.put("catchup_tracked_target", "  its target's attempt (as its report gives it)");
    what.put("catchup_step_setup_check", "  its parts: the setup check");
    what.put("catchup_step_day_states", "  the window's retry states");
    what.put("catchup_step_find_between", "  the window's stored aggregates");
    what.put("catchup_step_tracked_since", "  whether tracking is on, and since when");
    what.put("catchup_step_changed_days", "  the days the change log names");
    what.put("catchup_step_newest_verified", "  the newest verified day (freshness metric)");
    return what;
  }

  /** The machine-readable line: {@code BENCH {json}} with every figure and ratio. */
  public String benchLine() {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Double> medians = new LinkedHashMap<>();
    Map<String, Object> spread = new LinkedHashMap<>();
    for (String op : samples.asMap().keySet()) {
      medians.put(op, round(median(op)));
      spread.put(
          op,
          Map.of(
              "min",
              round(min(op)),
              "max",
              round(max(op)),
              "samples",
              samples.asMap().get(op).stream().map(BenchResult::round).toList()));
    }
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios().forEach((k, v) -> ratios.put(k, round3(v)));
    json.put("ms", medians);
    json.put("ratio", ratios);
    Map<String, Map<String, Double>> designs = triggerDesigns();
    if (!designs.isEmpty()) {
      json.put("trigger_design_overhead", designs);
    }
    json.put("spread_ms", spread);
    json.put("records_per_day", options.recordsPerDay());
    json.put("days", options.dataDays());
    json.put("repeat", options.repeat());
    json.put("postgres", server.get("server_version"));
    json.put("fsync", server.get("fsync"));
    json.put("synchronous_commit", server.get("synchronous_commit"));
    json.put("max_parallel_workers_per_gather", server.get("max_parallel_workers_per_gather"));
    json.put("shared_buffers", server.get("shared_buffers"));
    json.put("work_mem", server.get("work_mem"));
    json.put("jit", server.get("jit"));
    details.forEach(json::put);
    json.put("java", System.getProperty("java.version"));
    try {
      return "BENCH " + new ObjectMapper().writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  private static double round3(double ratio) {
    return Math.round(ratio * 1000) / 1000.0;
  }
}
