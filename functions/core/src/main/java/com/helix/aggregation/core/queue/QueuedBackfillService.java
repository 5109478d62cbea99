package com.helix.aggregation.core.queue;

import com.helix.aggregation.core.AttemptLog;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.Sleeper;
import com.helix.aggregation.core.TransientRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Use case: a backfill through the queue (SPEC §7, {@code helix backfill} with {@code
 * HELIX_BACKFILL_QUEUE_URL} set): validated as a local one, recorded, one message per day, then
 * followed from the database and, if need be, cancelled.
 */
public final class QueuedBackfillService {
  /** Where a request came from ({@code backfill_requests.source}). */
  public static final String FROM_CLI = "cli";

  public static final String FROM_REDRIVE = "redrive";
  public static final String FROM_CATCH_UP = "catch-up";

  private final BackfillQueue queue;
  private final BackfillRequests requests;
  private final AttemptLog attempts;
  private final TransientRetry retry;
  private final Sleeper sleeper;
  private final Clock clock;

  public QueuedBackfillService(
      BackfillQueue queue,
      BackfillRequests requests,
      AttemptLog attempts,
      TransientRetry retry,
      Sleeper sleeper,
      Clock clock) {
    this.queue = queue;
    this.requests = requests;
    this.attempts = attempts;
    this.retry = retry;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /**
   * Records the request and sends its days, oldest first. A request whose sending fails is
   * cancelled, so that nobody waits for days that never arrive; the days already sent are then
   * acknowledged as cancelled.
   *
   * @return the number of days sent
   * @throws com.helix.aggregation.core.InvalidDayException when the range may not be backfilled
   */
  public int submit(BackfillRequest request, String source) {
    request.check(clock);
    List<LocalDate> days = request.range().days();
    return submit(request, source, days);
  }

  /** Sends chosen days of a request (the catch-up's overflow, a redrive). */
  public int submit(BackfillRequest request, String source, List<LocalDate> days) {
    if (request.retryFailed()) {
      retry.call(() -> attempts.resetFailures(request.range().from(), request.range().to()));
    }
    retry.call(
        () -> {
          requests.submitted(request, source, days, clock.instant());
          return null;
        });
    try {
      retry.call(
          () -> {
            queue.enqueue(days.stream().map(d -> BackfillMessage.of(request, d)).toList());
            return null;
          });
    } catch (RuntimeException e) {
      requests.cancel(request.requestId(), clock.instant());
      throw e;
    }
    return days.size();
  }

  /**
   * Follows a request until every day is finished, reporting its progress on every change.
   *
   * @return the final progress, or empty for an unknown request
   */
  public Optional<RequestProgress> follow(
      String requestId, Duration poll, Consumer<RequestProgress> listener) {
    int reported = -1;
    while (true) {
      Optional<RequestProgress> progress = retry.call(() -> requests.progress(requestId));
      if (progress.isEmpty()) {
        return progress;
      }
      if (progress.get().finished() != reported) {
        reported = progress.get().finished();
        listener.accept(progress.get());
      }
      if (progress.get().isComplete()) {
        return progress;
      }
      sleeper.sleep(poll);
    }
  }

  /**
   * Cancels a request: the worker acknowledges its remaining days as cancelled.
   *
   * @return how many days were still queued, or empty for an unknown request
   */
  public Optional<Integer> cancel(String requestId) {
    return retry.call(() -> requests.cancel(requestId, clock.instant()));
  }
}
