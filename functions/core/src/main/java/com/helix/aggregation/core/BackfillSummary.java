package com.helix.aggregation.core;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a backfill ended.
 *
 * @param outcomes the final outcome of each day that ran, counted
 * @param failedForGood days that ended permanently failed, in this run or before it
 * @param unfinished days that neither succeeded nor failed for good, each with the reason (still
 *     locked by another run, raw data still changing, not reached before the run stopped)
 * @param stoppedBy why the run ended early, when it did: interrupted, or the environment failed
 * @param interrupted the run was asked to stop (SIGTERM, Ctrl-C)
 * @param pauses the time spent in the throttle's pauses between batches
 * @param elapsed the whole run
 */
public record BackfillSummary(
    int days,
    Map<Outcome, Integer> outcomes,
    List<LocalDate> failedForGood,
    Map<LocalDate, String> unfinished,
    Optional<String> stoppedBy,
    boolean interrupted,
    Duration pauses,
    Duration elapsed) {

  /** SPEC §7: success when every day ended aggregated or unchanged. */
  public boolean succeeded() {
    return failedForGood.isEmpty() && unfinished.isEmpty() && stoppedBy.isEmpty();
  }
}
