package com.helix.aggregation.core;

import java.time.LocalDate;

/** What a backfill tells the person watching it: progress, waits, the plan of a dry run. */
public interface BackfillListener {

  /**
   * Another backfill holds the backfill-wide lease; this one waits its turn.
   *
   * @param leaseStore where the lease is held, e.g. a DynamoDB table and its endpoint
   */
  void waitingForOtherBackfill(String leaseStore);

  /** A batch ended; {@code progress} counts the days finished so far. */
  void batchFinished(BackfillProgress progress);

  /** A dry run's finding for one day. */
  void dayPlanned(PlannedDay day);

  /** Failures reset by {@code --retry-failed}. */
  default void failuresReset(int days) {}

  /** A day that failed for good (now or before), with the reason when known. */
  default void dayFailedForGood(LocalDate day, String reason) {}
}
