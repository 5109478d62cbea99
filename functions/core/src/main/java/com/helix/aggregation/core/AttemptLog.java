package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Port: the record of every attempt ({@code job_runs}) and the retry state of every day. */
public interface AttemptLog {

  /** The retry state of a day ({@link DayState#fresh} if it has none). */
  DayState dayState(LocalDate day);

  /** The days of the inclusive range that have a retry state. */
  Map<LocalDate, DayState> dayStates(LocalDate from, LocalDate to);

  /**
   * Changes a day's retry state atomically, relative to the stored row (never to a copy read
   * earlier, which another attempt may have changed since); returns the new state.
   */
  DayState updateDayState(LocalDate day, UnaryOperator<DayState> change);

  /**
   * Closes the attempts of a day still recorded as {@code running}: called by an attempt that holds
   * the day's lease, so their holders are gone (killed, timed out, out of memory). They are marked
   * failed; returns how many there were.
   */
  int closeAbandoned(String job, LocalDate day, Instant now);

  /** Records an attempt as {@code running}; returns its run id. */
  long started(AttemptStart start);

  /** Records how a started attempt ended. */
  void finished(AttemptReport report);

  /** Records an attempt that ended before it started work (lease held, lease service down). */
  long recordEnded(AttemptReport report);

  /**
   * Clears the failures of the permanently failed days of the inclusive range, so that they run
   * again (an explicit operator retry); returns how many days were reset.
   */
  int resetFailures(LocalDate from, LocalDate to);
}
