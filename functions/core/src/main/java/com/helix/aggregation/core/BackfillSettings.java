package com.helix.aggregation.core;

import java.time.Duration;

/**
 * The backfill throttle (SPEC §7): at most {@code batchSize} days per batch and a pause of {@code
 * batchDelay} between batches, so a long backfill cannot take the database down.
 *
 * @param leasePoll how often a backfill waiting for another one's lease asks again
 */
public record BackfillSettings(int batchSize, Duration batchDelay, Duration leasePoll) {
  public BackfillSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
  }
}
