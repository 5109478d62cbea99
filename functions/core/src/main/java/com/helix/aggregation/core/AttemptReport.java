package com.helix.aggregation.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything about a finished attempt: what {@code job_runs} records, what the structured log and
 * the metrics report.
 *
 * @param runId the {@code job_runs} id
 * @param aggregate the stored aggregate after the attempt, if any
 * @param verification the verification run by this attempt, if it wrote
 * @param failure why it failed, for {@link Outcome#FAILED} and {@link Outcome#PERMANENTLY_FAILED}
 * @param closedDayChanged a day older than the closed period changed: billing must hear of it
 */
public record AttemptReport(
    long runId,
    AttemptStart start,
    Outcome outcome,
    Duration duration,
    Optional<DailyAggregate> aggregate,
    Optional<VerificationReport> verification,
    Optional<Failure> failure,
    boolean closedDayChanged) {

  public AttemptReport {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(aggregate, "aggregate");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(failure, "failure");
  }

  /** One line for a person: the day, the outcome and the figures or the error. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append(start.day()).append(' ').append(outcome.value());
    aggregate.ifPresent(
        a ->
            text.append(" revision ")
                .append(a.revision())
                .append(a.complete() ? "" : " (partial)")
                .append(": ")
                .append(a.totals())
                .append(", ")
                .append(a.verification().value()));
    failure.ifPresent(f -> text.append(": ").append(f.message()));
    if (closedDayChanged) {
      text.append(" [closed day changed]");
    }
    return text.toString();
  }
}
