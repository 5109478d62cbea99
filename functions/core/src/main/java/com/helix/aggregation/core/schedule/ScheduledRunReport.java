package com.helix.aggregation.core.schedule;

import com.helix.aggregation.core.AttemptReport;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * How a scheduled run ended.
 *
 * @param attempts every attempt of the run, in order (the target first in a daily run)
 * @param queued days the run had no time for, sent to the backfill queue
 * @param queuedAs the backfill request they were sent as
 * @param leftForNextRun days the run had no time for and no queue to send them to
 * @param targetFailed the target day could not be aggregated: the invocation fails
 * @param newestVerified the newest verified complete day after the run
 */
public record ScheduledRunReport(
    ScheduledRun run,
    LocalDate target,
    List<AttemptReport> attempts,
    List<LocalDate> queued,
    Optional<String> queuedAs,
    List<LocalDate> leftForNextRun,
    boolean targetFailed,
    Optional<LocalDate> newestVerified) {

  /** One line for the log and the response. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append(run.mode().value())
        .append(" run for ")
        .append(target)
        .append(": ")
        .append(attempts.size())
        .append(" attempt(s)");
    attempts.stream()
        .filter(a -> a.start().day().equals(target))
        .reduce((a, b) -> b)
        .ifPresent(a -> text.append("; ").append(target).append(' ').append(a.outcome().value()));
    if (!queued.isEmpty()) {
      text.append("; ")
          .append(queued.size())
          .append(" day(s) sent to the backfill queue as ")
          .append(queuedAs.orElse(""));
    }
    if (!leftForNextRun.isEmpty()) {
      text.append("; ").append(leftForNextRun.size()).append(" day(s) left for the next run");
    }
    if (targetFailed) {
      text.append("; the target day could not be aggregated");
    }
    return text.toString();
  }
}
