package com.helix.aggregation.cli;

import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.DayState;
import com.helix.aggregation.core.DayStatus;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.postgres.RawTableCheck;
import com.helix.aggregation.wiring.AggregationWiring;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an operator asks first: are the figures fresh, which days of the window need attention,
 * which older gaps need a manual backfill, and is the raw table healthy.
 */
final class StatusReport {
  private final LocalDate yesterday;
  private final List<LocalDate> window;
  private final Map<LocalDate, DailyAggregate> aggregates;
  private final Map<LocalDate, DayState> states;
  private final List<LocalDate> olderGaps;
  private final List<String> warnings;
  private final Optional<Boolean> yesterdayUnchanged;

  /** A backfill queue is configured: the suggested commands go through it. */
  private final boolean queued;

  private StatusReport(
      LocalDate yesterday,
      List<LocalDate> window,
      Map<LocalDate, DailyAggregate> aggregates,
      Map<LocalDate, DayState> states,
      List<LocalDate> olderGaps,
      List<String> warnings,
      Optional<Boolean> yesterdayUnchanged,
      boolean queued) {
    this.yesterday = yesterday;
    this.yesterdayUnchanged = yesterdayUnchanged;
    this.queued = queued;
    this.window = window;
    this.aggregates = aggregates;
    this.states = states;
    this.olderGaps = olderGaps;
    this.warnings = warnings;
  }

  /** Reads the stored state; it scans no raw data. */
  static StatusReport collect(AggregationWiring wiring, int windowDays) {
    LocalDate yesterday = UtcDay.today(wiring.clock()).minusDays(1);
    LocalDate windowStart = yesterday.minusDays(windowDays - 1L);
    Map<LocalDate, DailyAggregate> aggregates =
        wiring.store().findBetween(LocalDate.of(1970, 1, 1), yesterday.plusDays(1)).stream()
            .collect(
                Collectors.toMap(
                    DailyAggregate::day, Function.identity(), (a, b) -> a, TreeMap::new));
    Map<LocalDate, DayState> states =
        new TreeMap<>(wiring.attempts().dayStates(LocalDate.of(1970, 1, 1), yesterday.plusDays(1)));
    List<LocalDate> window = new ArrayList<>();
    for (LocalDate d = windowStart; !d.isAfter(yesterday); d = d.plusDays(1)) {
      window.add(d);
    }
    List<LocalDate> olderGaps = new ArrayList<>();
    Optional<LocalDate> oldest = aggregates.keySet().stream().min(Comparator.naturalOrder());
    if (oldest.isPresent()) {
      for (LocalDate d = oldest.get(); d.isBefore(windowStart); d = d.plusDays(1)) {
        if (!aggregates.containsKey(d)) {
          olderGaps.add(d);
        }
      }
    }
    RawTableCheck check = new RawTableCheck(wiring.database(), wiring.config().rawTable());
    List<String> warnings = new ArrayList<>(check.problems());
    warnings.addAll(check.warnings());
    // One scan of yesterday: is the verified figure still what the raw data says?
    Optional<Boolean> yesterdayUnchanged =
        Optional.ofNullable(aggregates.get(yesterday))
            .filter(DailyAggregate::isTrusted)
            .filter(a -> warnings.stream().noneMatch(w -> w.contains("does not exist")))
            .map(a -> wiring.store().stillMatches(yesterday, a.sourceHash()));
    return new StatusReport(
        yesterday,
        window,
        aggregates,
        states,
        olderGaps,
        warnings,
        yesterdayUnchanged,
        wiring.config().backfillQueueUrl().isPresent());
  }

  DayStatus status(LocalDate day) {
    return DayStatus.of(
        Optional.ofNullable(aggregates.get(day)), states.getOrDefault(day, DayState.fresh(day)));
  }

  void render(PrintStream out) {
    renderFreshness(out);
    out.println();
    out.printf("Last %d days (UTC):%n", window.size());
    out.printf(
        "  %-10s  %-18s  %4s  %12s  %22s  %s%n",
        "DAY", "STATE", "REV", "RECORDS", "COST", "VERIFIED AT / LAST ERROR");
    for (LocalDate day : window) {
      renderDay(out, day);
    }
    renderAttention(out);
    if (!olderGaps.isEmpty()) {
      out.println();
      out.println("Gaps older than the window (a manual backfill restores them):");
      for (LocalDate[] range : ranges(olderGaps)) {
        out.printf(
            "  %s..%s (%d days): helix backfill --from %s --to %s%s%n",
            range[0],
            range[1],
            range[1].toEpochDay() - range[0].toEpochDay() + 1,
            range[0],
            range[1],
            queued ? "" : " --local");
      }
    }
    for (String warning : warnings) {
      out.println("warning: " + warning);
    }
  }

  private void renderFreshness(PrintStream out) {
    Optional<DailyAggregate> newest =
        aggregates.values().stream()
            .filter(DailyAggregate::isTrusted)
            .max(Comparator.comparing(DailyAggregate::day));
    Optional<Instant> lastSuccess =
        states.values().stream()
            .map(DayState::lastSuccessAt)
            .filter(t -> t != null)
            .max(Comparator.naturalOrder());
    if (newest.isEmpty()) {
      out.println("Freshness: no verified complete day yet");
    } else if (newest.get().day().equals(yesterday)) {
      out.printf(
          "Freshness: yesterday (%s) is verified (at %s); %s%n",
          yesterday,
          newest.get().verifiedAt(),
          yesterdayUnchanged.orElse(true)
              ? "its raw data was re-hashed just now and is unchanged"
              : "but its raw data changed since: the next run re-aggregates it");
    } else {
      out.printf(
          "Freshness: STALE: yesterday (%s) is not verified; newest verified day is %s (%d days"
              + " behind)%n",
          yesterday, newest.get().day(), yesterday.toEpochDay() - newest.get().day().toEpochDay());
    }
    out.println("Last success: " + lastSuccess.map(Instant::toString).orElse("never"));
  }

  private void renderDay(PrintStream out, LocalDate day) {
    DailyAggregate a = aggregates.get(day);
    DayState state = states.getOrDefault(day, DayState.fresh(day));
    DayStatus status = status(day);
    String label =
        status == DayStatus.FAILED
            ? "failed (" + state.consecutiveFailures() + " tries)"
            : status.label();
    String detail =
        state.lastError() != null
            ? state.lastError()
            : a != null && a.verifiedAt() != null ? a.verifiedAt().toString() : "";
    if (a == null) {
      out.printf("  %-10s  %-18s  %4s  %12s  %22s  %s%n", day, label, "", "", "", detail);
    } else {
      out.printf(
          "  %-10s  %-18s  %4d  %12d  %22s  %s%n",
          day,
          label,
          a.revision(),
          a.totals().recordCount(),
          a.totals().cost().toPlainString(),
          detail);
    }
  }

  private void renderAttention(PrintStream out) {
    Map<DayStatus, List<LocalDate>> byStatus = new EnumMap<>(DayStatus.class);
    for (LocalDate day : union()) {
      DayStatus status = status(day);
      if (status.needsWork() && status != DayStatus.MISSING) {
        byStatus.computeIfAbsent(status, s -> new ArrayList<>()).add(day);
      }
    }
    if (byStatus.isEmpty()) {
      return;
    }
    out.println();
    out.println("Needs attention:");
    byStatus.forEach(
        (status, days) ->
            out.printf(
                "  %s: %s%n",
                status.label(),
                days.stream().map(LocalDate::toString).collect(Collectors.joining(", "))));
  }

  private List<LocalDate> union() {
    TreeMap<LocalDate, Boolean> days = new TreeMap<>();
    aggregates.keySet().forEach(d -> days.put(d, true));
    states.keySet().forEach(d -> days.put(d, true));
    return new ArrayList<>(days.keySet());
  }

  /** Consecutive days folded into [first, last] ranges. */
  private static List<LocalDate[]> ranges(List<LocalDate> days) {
    List<LocalDate[]> ranges = new ArrayList<>();
    for (LocalDate day : days) {
      LocalDate[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[1].plusDays(1).equals(day)) {
        last[1] = day;
      } else {
        ranges.add(new LocalDate[] {day, day});
      }
    }
    return ranges;
  }
}
