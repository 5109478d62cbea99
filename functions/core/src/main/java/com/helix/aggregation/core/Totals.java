package com.helix.aggregation.core;

import java.math.BigDecimal;
import java.util.Objects;

/** The figures of a day (or of a breakdown row): count, exact cost and token sums. */
public record Totals(long recordCount, BigDecimal cost, long inputTokens, long outputTokens) {
  public static final Totals ZERO = new Totals(0, BigDecimal.ZERO, 0, 0);

  public Totals {
    Objects.requireNonNull(cost, "cost");
  }

  /**
   * Same figures, comparing money by value: 1.5 and 1.50 are equal, as they are in SQL. ({@link
   * #equals} compares the scale too.)
   */
  public boolean sameAs(Totals other) {
    return recordCount == other.recordCount
        && cost.compareTo(other.cost) == 0
        && inputTokens == other.inputTokens
        && outputTokens == other.outputTokens;
  }

  @Override
  public String toString() {
    return recordCount
        + " records, cost "
        + cost.toPlainString()
        + ", tokens "
        + inputTokens
        + " in / "
        + outputTokens
        + " out";
  }
}
