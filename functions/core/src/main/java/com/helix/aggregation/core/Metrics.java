package com.helix.aggregation.core;

/**
 * Port: the metrics of SPEC §8 (job started / completed / failed / skipped counts, days aggregated,
 * unverified, permanently failed, closed days changed, duration). On AWS they are Embedded Metric
 * Format log lines: no synchronous call on the hot path.
 */
public interface Metrics {

  /** Metrics that go nowhere, for local tools that have no metrics backend. */
  Metrics NONE = report -> {};

  void attemptFinished(AttemptReport report);
}
