package com.helix.aggregation.core;

import java.util.Optional;

/**
 * What a day needs, as {@code status}, a backfill plan and the catch-up see it. {@link #CHANGED} is
 * known only after hashing the day's raw data; without that scan a trusted day is {@link
 * #VERIFIED}.
 */
public enum DayStatus {
  MISSING("missing"),
  VERIFIED("verified"),
  UNCHANGED("unchanged"),
  CHANGED("changed"),
  UNVERIFIED("unverified"),
  PARTIAL("partial"),
  FAILED("failed"),
  PERMANENTLY_FAILED("permanently failed");

  private final String label;

  DayStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The status from the stored aggregate and the retry state, without reading raw data. */
  public static DayStatus of(Optional<DailyAggregate> aggregate, DayState state) {
    if (state.isPermanentlyFailed()) {
      return PERMANENTLY_FAILED;
    }
    if (state.hasFailures()) {
      return FAILED;
    }
    if (aggregate.isEmpty()) {
      return MISSING;
    }
    if (!aggregate.get().complete()) {
      return PARTIAL;
    }
    return aggregate.get().isVerified() ? VERIFIED : UNVERIFIED;
  }

  /** Whether a run has work to do for a day in this status (a verified day costs one check). */
  public boolean needsWork() {
    return this != VERIFIED && this != UNCHANGED;
  }
}
