package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Port: the metrics of SPEC §8 (job started / completed / failed / skipped counts, days aggregated,
 * unverified, permanently failed, closed days changed, duration). On AWS they are Embedded Metric
 * Format log lines: no synchronous call on the hot path.
 */
public interface Metrics {

  /** Metrics that go nowhere, for local tools that have no metrics backend. */
  Metrics NONE = report -> {};

  void attemptFinished(AttemptReport report);

  /**
   * After every scheduled run, daily and hourly, so that silence itself is visible: the newest
   * verified complete day (its age), or none.
   */
  default void freshness(Optional<LocalDate> newestVerified, Instant now) {}
}
