package com.helix.aggregation.core.queue;

import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.RunOptions;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One day of a queued backfill: the body of one message on the backfill queue.
 *
 * @param requestId the backfill request it belongs to (followed and cancelled by it)
 * @param force recompute even when the raw data is unchanged
 * @param includeToday the day may be the current UTC day, stored partial
 */
public record BackfillMessage(
    LocalDate day, String requestId, boolean force, boolean includeToday) {

  public BackfillMessage {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(requestId, "requestId");
  }

  public static BackfillMessage of(BackfillRequest request, LocalDate day) {
    return new BackfillMessage(day, request.requestId(), request.force(), request.includeToday());
  }

  /**
   * The deduplication id of the FIFO queue: a retried send of the same day of the same request is
   * dropped, while a deliberate re-run (a new request) is not.
   */
  public String deduplicationId() {
    return day + "#" + requestId;
  }

  public RunOptions runOptions() {
    return new RunOptions(force, includeToday);
  }
}
