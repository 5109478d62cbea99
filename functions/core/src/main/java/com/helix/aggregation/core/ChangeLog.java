package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Port: the opt-in log of the days that writes to the raw table touched (SPEC §3). Triggers on the
 * raw table write it; the aggregation of a day consumes the day's entries in its own transaction,
 * so a write its snapshot did not see leaves the day dirty for the next run.
 */
public interface ChangeLog {

  /** Tracking is off: every run hashes. */
  ChangeLog OFF =
      new ChangeLog() {
        @Override
        public Optional<Instant> trackedSince() {
          return Optional.empty();
        }

        @Override
        public List<LocalDate> changedDays(LocalDate before) {
          return List.of();
        }
      };

  /**
   * When tracking began, if it is on and its triggers are in place: a day verified after this
   * moment and absent from the log is unchanged, without a scan.
   */
  Optional<Instant> trackedSince();

  /** The days with logged changes before {@code before}, oldest first. */
  List<LocalDate> changedDays(LocalDate before);
}
