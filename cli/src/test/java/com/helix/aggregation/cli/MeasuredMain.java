package com.helix.aggregation.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Runs one {@code helix} command line, then reports on standard error what it cost: the peak heap
 * in use (the sum of the heap pools' peaks) and the process's peak resident set (VmHWM).
 */
public final class MeasuredMain {
  private MeasuredMain() {}

  public static void main(String[] args) throws Exception {
    int code =
        HelixCommand.execute(System.getenv(), System.out, System.err, Clock.systemUTC(), args);
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    String hwm =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("VmHWM:"))
            .findFirst()
            .map(l -> l.replaceAll("\\D", ""))
            .orElse("0");
    System.err.printf(
        "MEASURED max_heap_mb=%d peak_heap_mb=%.1f peak_rss_mb=%.1f%n",
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        peakHeap / (1024.0 * 1024),
        Long.parseLong(hwm) / 1024.0);
    System.exit(code);
  }
}
