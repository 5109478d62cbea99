package com.helix.aggregation.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM heap around the measured full aggregations (SPEC §3: memory does not grow with the day's
 * size): the heap in use after a collection before the first and after the last, and what the
 * aggregating thread allocated during one (the most of any), which a day's rows passing through
 * Java would make grow with the day.
 */
final class HeapWatch {
  private static final double MB = 1024.0 * 1024.0;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private double before = -1;
  private double allocated = -1;
  private double after;

  /** Forgets what was seen (the warm-up's figures). */
  void reset() {
    before = -1;
    allocated = -1;
    after = 0;
  }

  /** Runs the work (not itself timed here) and records the heap around it. */
  void around(Runnable work) {
    System.gc();
    if (before < 0) {
      before = usedMb();
    }
    long start = allocatedBytes();
    work.run();
    long end = allocatedBytes();
    if (start >= 0 && end >= 0) {
      allocated = Math.max(allocated, (end - start) / MB);
    }
    System.gc();
    after = usedMb();
  }

  Map<String, Double> figures() {
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("used_before", round(before));
    figures.put("used_after", round(after));
    figures.put("allocated_during_full", round(allocated));
    figures.put("max", round(Runtime.getRuntime().maxMemory() / MB));
    return figures;
  }

  /** Bytes allocated so far by this thread, or -1 where the JVM does not tell. */
  private long allocatedBytes() {
    if (threads instanceof com.sun.management.ThreadMXBean hotspot) {
      return hotspot.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }

  private static double usedMb() {
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) / MB;
  }

  private static double round(double mb) {
    return Math.round(mb * 100) / 100.0;
  }
}
