package com.helix.aggregation.core;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What verification reads from the raw table: {@code count(*)} and {@code sum(cost_usd)}, the
 * cheapest exact read (SPEC §3). The token sums are not read again: they come from the same
 * grouping scan as the verified count and cost, and the breakdown must still sum to them.
 */
public record RawTotals(long recordCount, BigDecimal cost) {

  public RawTotals {
    Objects.requireNonNull(cost, "cost");
  }

  /** The count and cost of {@code totals}. */
  public static RawTotals of(Totals totals) {
    return new RawTotals(totals.recordCount(), totals.cost());
  }

  /** The same count, and a cost within {@code costTolerance} of {@code stored}'s. */
  public boolean matches(Totals stored, BigDecimal costTolerance) {
    return recordCount == stored.recordCount()
        && cost.subtract(stored.cost()).abs().compareTo(costTolerance) <= 0;
  }

  @Override
  public String toString() {
    return recordCount + " records, cost " + cost.toPlainString();
  }
}
