package com.helix.aggregation.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Runs one {@code helix} command line, then reports on standard error what it cost: the peak heap
 * in use (the sum of the heap pools' peaks, garbage included: what the heap had to hold at most),
 * the peak heap left after a collection (what was still reachable, or not yet collectable), the
 * number of collections, and the process's peak resident set (VmHWM).
 */
public final class MeasuredMain {
  private MeasuredMain() {}

  public static void main(String[] args) throws Exception {
    AfterCollections afterCollections = AfterCollections.watch();
    int code =
        HelixCommand.execute(System.getenv(), System.out, System.err, Clock.systemUTC(), args);
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    long collections = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, gc.getCollectionCount());
    }
    String hwm =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("VmHWM:"))
            .findFirst()
            .map(l -> l.replaceAll("\\D", ""))
            .orElse("0");
    System.err.printf(
        "MEASURED max_heap_mb=%d peak_heap_mb=%.1f peak_heap_after_gc_mb=%.1f collections=%d"
            + " peak_rss_mb=%.1f%n",
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        peakHeap / (1024.0 * 1024),
        afterCollections.peak() / (1024.0 * 1024),
        collections,
        Long.parseLong(hwm) / 1024.0);
    System.exit(code);
  }

  /** The largest heap in use right after a collection, from the collectors' notifications. */
  private static final class AfterCollections {
    private final AtomicLong peak = new AtomicLong();

    static AfterCollections watch() {
      AfterCollections watcher = new AfterCollections();
      Set<String> heapPools =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .map(MemoryPoolMXBean::getName)
              .collect(Collectors.toSet());
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc)
            .addNotificationListener(
                (notification, handback) -> {
                  if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                      notification.getType())) {
                    Map<String, MemoryUsage> after =
                        GarbageCollectionNotificationInfo.from(
                                (CompositeData) notification.getUserData())
                            .getGcInfo()
                            .getMemoryUsageAfterGc();
                    long used =
                        after.entrySet().stream()
                            .filter(e -> heapPools.contains(e.getKey()))
                            .mapToLong(e -> e.getValue().getUsed())
                            .sum();
                    watcher.peak.accumulateAndGet(used, Math::max);
                  }
                },
                null,
                null);
      }
      return watcher;
    }

    long peak() {
      return peak.get();
    }
  }
}
