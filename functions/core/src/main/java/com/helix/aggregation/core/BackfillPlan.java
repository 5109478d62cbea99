package com.helix.aggregation.core;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which days a backfill visits, in which order (oldest first), and why: missing, failed,
 * permanently failed, unverified, partial, or verified (which costs one unchanged check). Shared by
 * {@code --dry-run}, {@code --local} and, later, the queue mode and the scheduled catch-up.
 */
public record BackfillPlan(List<PlannedDay> days) {

  public BackfillPlan {
    days = List.copyOf(days);
  }

  /** The plan from what is stored; it reads no raw data (a verified day shows as VERIFIED). */
  public static BackfillPlan of(
      DayRange range, List<DailyAggregate> stored, Map<LocalDate, DayState> states) {
    Map<LocalDate, DailyAggregate> byDay = new java.util.HashMap<>();
    stored.forEach(a -> byDay.put(a.day(), a));
    List<PlannedDay> days = new ArrayList<>(range.size());
    for (LocalDate day : range.days()) {
      DayStatus status =
          DayStatus.of(
              Optional.ofNullable(byDay.get(day)), states.getOrDefault(day, DayState.fresh(day)));
      days.add(new PlannedDay(day, status));
    }
    return new BackfillPlan(days);
  }

  /** The days to run: all but the permanently failed ones (an operator retries those). */
  public List<LocalDate> toRun() {
    return days.stream()
        .filter(d -> d.status() != DayStatus.PERMANENTLY_FAILED)
        .map(PlannedDay::day)
        .toList();
  }

  /** Days left alone because they failed for good before this backfill. */
  public List<LocalDate> permanentlyFailed() {
    return days.stream()
        .filter(d -> d.status() == DayStatus.PERMANENTLY_FAILED)
        .map(PlannedDay::day)
        .toList();
  }
}
