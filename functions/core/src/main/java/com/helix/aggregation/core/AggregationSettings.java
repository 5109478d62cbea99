package com.helix.aggregation.core;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The tunables of aggregation.
 *
 * @param retryPolicy when and how often to retry (SPEC §6)
 * @param costTolerance the cost difference verification allows (0 = exact)
 * @param closedPeriodDays days after which a change to a day is reported to billing
 */
public record AggregationSettings(
    RetryPolicy retryPolicy, BigDecimal costTolerance, int closedPeriodDays) {

  public AggregationSettings {
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(costTolerance, "costTolerance");
    if (costTolerance.signum() < 0) {
      throw new IllegalArgumentException("costTolerance must not be negative");
    }
  }
}
