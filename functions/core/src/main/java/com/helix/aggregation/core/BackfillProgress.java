package com.helix.aggregation.core;

import java.time.Duration;
import java.util.Optional;

/**
 * How far a backfill is: days done of the total, and from the time spent so far the rate and the
 * expected time to finish.
 */
public record BackfillProgress(int done, int total, Duration elapsed) {

  /** Days per second so far. */
  public double rate() {
    double seconds = elapsed.toMillis() / 1000.0;
    return seconds <= 0 ? 0 : done / seconds;
  }

  /** The expected remaining time at the rate so far; empty before the first day. */
  public Optional<Duration> eta() {
    if (done == 0) {
      return Optional.empty();
    }
    return Optional.of(elapsed.multipliedBy(total - done).dividedBy(done));
  }
}
