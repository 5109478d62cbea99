package com.helix.aggregation.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What the aggregation transaction did.
 *
 * @param change what happened to the stored rows
 * @param current the aggregate as stored after the transaction
 * @param previous the aggregate before it, if there was one
 */
public record WriteResult(
    Change change, DailyAggregate current, Optional<DailyAggregate> previous) {

  public WriteResult {
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(previous, "previous");
  }

  /** What happened to the stored rows. */
  public enum Change {
    /** No aggregate existed; header and breakdown were inserted at revision 1. */
    CREATED,
    /** The content differed: replaced in place, revision + 1, the old content in history. */
    REPLACED,
    /** Nothing written: verified and the raw data unchanged (or recomputed identical). */
    UNCHANGED,
    /** Nothing written: recomputed identical to a stored aggregate that awaits verification. */
    SAME_CONTENT_UNVERIFIED;
  }

  /** Whether the stored aggregate must be verified now (SPEC §3: after every write). */
  public boolean needsVerification() {
    return change != Change.UNCHANGED;
  }
}
