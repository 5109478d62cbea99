package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The stored aggregate of one UTC day (the header row of {@code daily_aggregates}).
 *
 * @param leaseToken the writer's lease token, for audit; null if written without one
 * @param verifiedAt when verification last passed; null while unverified
 */
public record DailyAggregate(
    LocalDate day,
    Totals totals,
    SourceHash sourceHash,
    boolean complete,
    Verification verification,
    Long leaseToken,
    int revision,
    Instant computedAt,
    Instant verifiedAt) {

  public DailyAggregate {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(totals, "totals");
    Objects.requireNonNull(sourceHash, "sourceHash");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(computedAt, "computedAt");
  }

  public boolean isVerified() {
    return verification == Verification.VERIFIED;
  }

  /**
   * Whether a run may leave this aggregate alone when the raw data still hashes to its source hash:
   * only a verified aggregate of a complete day is trusted that way (SPEC §3).
   */
  public boolean isTrusted() {
    return isVerified() && complete;
  }
}
