package com.helix.aggregation.core;

import java.time.LocalDate;
import java.util.Map;

/** Port: the record of every attempt ({@code job_runs}) and the retry state of every day. */
public interface AttemptLog {

  /** The retry state of a day ({@link DayState#fresh} if it has none). */
  DayState dayState(LocalDate day);

  /** The days of the inclusive range that have a retry state. */
  Map<LocalDate, DayState> dayStates(LocalDate from, LocalDate to);

  /** Records an attempt as {@code running}; returns its run id. */
  long started(AttemptStart start);

  /** Records how a started attempt ended and the day's new retry state, in one transaction. */
  void finished(AttemptReport report, DayState newState);

  /** Records an attempt that ended before it started work (lease held, lease service down). */
  long recordEnded(AttemptReport report, DayState newState);

  /**
   * Clears the failures of the days of the inclusive range, so that permanently failed days run
   * again (an explicit operator retry); returns how many days were reset.
   */
  int resetFailures(LocalDate from, LocalDate to);
}
