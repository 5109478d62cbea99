package com.helix.aggregation.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one benchmark run: medians and spread per operation, and their ratios. */
public record BenchResult(
    AggregationBenchmark.Options options,
    Map<String, List<Double>> samples,
    Map<String, String> server) {

  /** The goals of issue 3, for the printed table. */
  static final double FULL_VS_PEER_GOAL = 2.5;

  static final double UNCHANGED_VS_PEER_GOAL = 1.25;

  public double median(String operation) {
    List<Double> sorted = new ArrayList<>(samples.get(operation));
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public double min(String operation) {
    return Collections.min(samples.get(operation));
  }

  public double max(String operation) {
    return Collections.max(samples.get(operation));
  }

  public Map<String, Double> ratios() {
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("full_vs_peer", median("full") / median("peer"));
    ratios.put("unchanged_vs_peer", median("unchanged") / median("peer"));
    ratios.put("full_vs_floor", median("full") / median("floor"));
    return ratios;
  }

  /** The readable table. */
  public void printTable(PrintStream out) {
    out.printf(
        "%nhelix bench: %,d records a day, %d day(s), %d repetition(s); PostgreSQL %s,"
            + " fsync=%s, synchronous_commit=%s, max_parallel_workers_per_gather=%s%n",
        options.recordsPerDay(),
        options.days(),
        options.repeat(),
        server.get("server_version"),
        server.get("fsync"),
        server.get("synchronous_commit"),
        server.get("max_parallel_workers_per_gather"));
    out.printf("  %-10s %12s %21s  %s%n", "operation", "median ms", "min..max ms", "what");
    Map<String, String> what = new LinkedHashMap<>();
    what.put("floor", "SELECT count(*), sum(cost_usd) of the day: what any aggregation reads");
    what.put("peer", "one INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE (a cron job)");
    what.put(
        "full", "aggregate() of a day never aggregated: lease, hash, breakdown, verify, job run");
    what.put("unchanged", "aggregate() of a verified, unchanged day");
    what.put("hash", "the source hash alone");
    what.put("verify", "the verification alone");
    for (String op : AggregationBenchmark.OPERATIONS) {
      out.printf(
          "  %-10s %12.1f %10.1f..%-10.1f  %s%n", op, median(op), min(op), max(op), what.get(op));
    }
    Map<String, Double> r = ratios();
    out.printf(
        "  ratios: full/peer %.2f (goal <= %.2f), unchanged/peer %.2f (goal <= %.2f),"
            + " full/floor %.2f%n",
        r.get("full_vs_peer"),
        FULL_VS_PEER_GOAL,
        r.get("unchanged_vs_peer"),
        UNCHANGED_VS_PEER_GOAL,
        r.get("full_vs_floor"));
  }

  /** The machine-readable line: {@code BENCH {json}} with every figure and ratio. */
  public String benchLine() {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Double> medians = new LinkedHashMap<>();
    Map<String, Object> spread = new LinkedHashMap<>();
    for (String op : AggregationBenchmark.OPERATIONS) {
      medians.put(op, round(median(op)));
      spread.put(
          op,
          Map.of(
              "min",
              round(min(op)),
              "max",
              round(max(op)),
              "samples",
              samples.get(op).stream().map(BenchResult::round).toList()));
    }
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios().forEach((k, v) -> ratios.put(k, Math.round(v * 1000) / 1000.0));
    json.put("ms", medians);
    json.put("ratio", ratios);
    json.put("spread_ms", spread);
    json.put("records_per_day", options.recordsPerDay());
    json.put("days", options.days());
    json.put("repeat", options.repeat());
    json.put("postgres", server.get("server_version"));
    json.put("fsync", server.get("fsync"));
    json.put("synchronous_commit", server.get("synchronous_commit"));
    json.put("max_parallel_workers_per_gather", server.get("max_parallel_workers_per_gather"));
    json.put("shared_buffers", server.get("shared_buffers"));
    json.put("work_mem", server.get("work_mem"));
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
}
