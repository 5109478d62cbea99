package com.helix.aggregation.core;

/**
 * How to run one day.
 *
 * @param force recompute even when the raw data hashes unchanged (the revision moves only if the
 *     content differs)
 * @param includeToday allow the current UTC day, stored as a partial aggregate
 */
public record RunOptions(boolean force, boolean includeToday) {
  public static final RunOptions DEFAULT = new RunOptions(false, false);
}
