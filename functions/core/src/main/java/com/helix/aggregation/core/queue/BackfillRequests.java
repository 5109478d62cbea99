package com.helix.aggregation.core.queue;

import com.helix.aggregation.core.BackfillRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Port: the record of queued backfill requests and where each of their days stands, so that a
 * request can be followed ({@code --wait}) and cancelled ({@code --cancel}) from any machine.
 */
public interface BackfillRequests {

  /** Records a request as submitted, every one of its days queued. */
  void submitted(BackfillRequest request, String source, List<LocalDate> days, Instant at);

  /** Whether the request was cancelled (false for a request never recorded). */
  boolean isCancelled(String requestId);

  /**
   * Cancels a request: its days still queued become {@link RequestDayStatus#CANCELLED} at once, and
   * the worker acknowledges their messages without running them (a day the worker is running just
   * then still records its own end). Returns how many days were still queued, or empty for an
   * unknown request.
   */
  Optional<Integer> cancel(String requestId, Instant at);

  /** Records where a day of a request ended (nothing for a request never recorded). */
  void dayEnded(
      String requestId, LocalDate day, RequestDayStatus status, String detail, Instant at);

  /** The request's progress, or empty when it is unknown. */
  Optional<RequestProgress> progress(String requestId);
}
