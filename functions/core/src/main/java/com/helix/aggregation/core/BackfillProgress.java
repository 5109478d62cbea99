package com.helix.aggregation.core;

import java.time.Duration;
import java.util.Optional;

/**
 * How far a backfill is: days done (succeeded or failed for good) of the total, and from the time
 * spent so far the rate and the expected time to finish.
 *
 * @param done days finished so far, whatever their outcome
 * @param failed of those, the days that failed (for good, or left unfinished)
 */
public record BackfillProgress(int done, int failed, int total, Duration elapsed) {

  /** Days that ended aggregated or unchanged. */
  public int succeeded() {
    return done - failed;
  }

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
