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

  /** A failure of the day itself, counted towards its permanent failure. */
  public boolean countsAgainstDay() {
    return outcome.isFailure() && failure.map(Failure::countsAgainstDay).orElse(false);
  }

  /**
   * The run must end after this attempt: it was asked to stop, or the environment failed (every
   * following day would fail the same way, and no day is to blame).
   */
  public boolean endsRun() {
    return outcome == Outcome.INTERRUPTED
        || (outcome.isFailure() && failure.map(f -> !f.countsAgainstDay()).orElse(false));
  }

  /** Aggregated, but its raw data moved before it could be verified: the next run redoes it. */
  public boolean rawMovedBeforeVerification() {
    return verification.map(VerificationReport::rawMoved).orElse(false);
  }

  /** The same report with the number and outcome its record already holds. */
  public AttemptReport asRecorded(int attempt, Outcome recorded) {
    return new AttemptReport(
        runId,
        start.numbered(attempt, start.leaseToken()),
        recorded,
        duration,
        aggregate,
        verification,
        failure,
        closedDayChanged);
  }

  /** The same report as recorded under {@code id}. */
  public AttemptReport withRunId(long id) {
    return new AttemptReport(
        id, start, outcome, duration, aggregate, verification, failure, closedDayChanged);
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
    failure.ifPresent(
        f ->
            text.append(": ")
                .append(f.message())
                .append(f.countsAgainstDay() ? "" : " (not counted against the day)"));
    verification
        .filter(VerificationReport::rawMoved)
        .ifPresent(v -> text.append(" (raw data still changing: the next run re-aggregates it)"));
    if (closedDayChanged) {
      text.append(" [closed day changed]");
    }
    return text.toString();
  }
}
