package com.helix.aggregation.core.queue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a queued backfill request is, from the database.
 *
 * @param days the days submitted
 * @param counts how many days are in each status
 * @param cancelledAt when the request was cancelled, if it was
 * @param notSucceeded finished days that did not end aggregated or unchanged, with their status
 */
public record RequestProgress(
    String requestId,
    LocalDate from,
    LocalDate to,
    int days,
    Map<RequestDayStatus, Integer> counts,
    Instant submittedAt,
    Optional<Instant> cancelledAt,
    Map<LocalDate, RequestDayStatus> notSucceeded) {

  public RequestProgress {
    Objects.requireNonNull(counts, "counts");
  }

  public int count(RequestDayStatus status) {
    return counts.getOrDefault(status, 0);
  }

  public int finished() {
    return days - count(RequestDayStatus.QUEUED);
  }

  public int succeeded() {
    return count(RequestDayStatus.AGGREGATED) + count(RequestDayStatus.UNCHANGED);
  }

  /** Every day is finished: done, failed for good, left to another run, or cancelled. */
  public boolean isComplete() {
    return finished() == days;
  }

  /** SPEC §7, as a local backfill: every day ended aggregated or unchanged. */
  public boolean isSuccess() {
    return isComplete() && succeeded() == days;
  }
}
