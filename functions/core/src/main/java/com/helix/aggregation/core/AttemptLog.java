package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Port: the record of every attempt ({@code job_runs}) and the retry state of every day. Every
 * write is idempotent on the attempt ({@link AttemptStart#key()}): bookkeeping is retried on
 * transient errors, and a retry after a commit whose acknowledgement was lost changes nothing
 * twice.
 */
public interface AttemptLog {

  /** The retry state of a day ({@link DayState#fresh} if it has none). */
  DayState dayState(LocalDate day);

  /** The days of the inclusive range that have a retry state. */
  Map<LocalDate, DayState> dayStates(LocalDate from, LocalDate to);

  /**
   * For a day that is permanently failed now, the request id of the attempt that failed it for good
   * (its last {@code permanently-failed} attempt); empty for any other day. A run that finds its
   * own request here failed the day itself, and may not have sent it to the dead-letter queue yet
   * (SPEC §6: the send failed, or the run was killed before it).
   */
  Optional<String> requestThatFailedForGood(LocalDate day);

  /**
   * A begun attempt: its run id, and the day's retry state once abandoned attempts were counted.
   */
  record Begun(long runId, DayState state) {}

  /**
   * Begins an attempt that holds the day's lease, in one transaction: attempts of the day still
   * recorded as {@code running} (other than this one) lost their lease, so their holders are gone
   * (killed, timed out, out of memory): they are closed as failed ({@link
   * Failure#ATTEMPT_ABANDONED}) and counted; then this attempt is recorded as running. Only
   * attempts of older lease tokens are closed: a holder that lost its lease while paused never
   * closes the attempt of the one that took it over.
   */
  Begun begin(AttemptStart start, Instant now, RetryPolicy policy);

  /**
   * Records how a begun attempt ended and applies {@code change} to the day's retry state, in one
   * transaction; {@code report} builds the record from the day's state before the change (the
   * attempt's number, and whether it failed for good), or from null when the attempt no longer held
   * the lease. Applied once, however often it is retried. An attempt that was closed as abandoned
   * meanwhile (paused past its lease while another took over, yet alive) records its own outcome,
   * its abandonment is no longer charged, and the attempts numbered after that charge are numbered
   * again without it; its change is not applied, since it no longer held the lease.
   *
   * @return the report as recorded
   */
  AttemptReport finish(
      long runId,
      UnaryOperator<DayState> change,
      Function<DayState, AttemptReport> report,
      RetryPolicy policy);

  /**
   * Records an attempt that ended before it began work (lease held, the environment unavailable,
   * the run interrupted); it changes no retry state. Returns its run id.
   */
  long recordEnded(AttemptReport report);

  /**
   * Clears the failures of the permanently failed days of the inclusive range, so that they run
   * again (an explicit operator retry); returns how many days were reset.
   */
  int resetFailures(LocalDate from, LocalDate to);
}
