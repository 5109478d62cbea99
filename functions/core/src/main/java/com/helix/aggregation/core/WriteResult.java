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

  /** Whether this transaction wrote the aggregate (created or replaced it). */
  public boolean wrote() {
    return change == Change.CREATED || change == Change.REPLACED;
  }

  /**
   * This write followed by a later transaction of the same attempt: what was written and what it
   * replaced stay this one's; the stored aggregate is the later one's.
   */
  public WriteResult then(WriteResult later) {
    return new WriteResult(change, later.current, previous);
  }

  /** The same write, with the aggregate as it is stored now. */
  public WriteResult then(DailyAggregate stored) {
    return new WriteResult(change, stored, previous);
  }

  /** Whether the stored aggregate must be verified now (SPEC §3: after every write). */
  public boolean needsVerification() {
    return change != Change.UNCHANGED;
  }
}
