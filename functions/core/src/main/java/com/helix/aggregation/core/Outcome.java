package com.helix.aggregation.core;

/** How an attempt ended; stored in {@code job_runs.outcome}. */
public enum Outcome {
  RUNNING("running"),
  AGGREGATED("aggregated"),
  UNCHANGED("unchanged"),
  SKIPPED_LOCKED("skipped-locked"),
  FENCED("fenced"),
  FAILED("failed"),
  PERMANENTLY_FAILED("permanently-failed"),
  /** The run was asked to stop (SIGTERM, Ctrl-C) during the attempt: not a failure. */
  INTERRUPTED("interrupted");

  private final String value;

  Outcome(String value) {
    this.value = value;
  }

  /** The name stored in the database and written to logs. */
  public String value() {
    return value;
  }

  public static Outcome fromValue(String value) {
    for (Outcome outcome : values()) {
      if (outcome.value.equals(value)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("unknown outcome '" + value + "'");
  }

  /** True when the day ended with figures someone can trust (ours or a newer writer's). */
  public boolean isSuccess() {
    return this == AGGREGATED || this == UNCHANGED || this == FENCED;
  }

  public boolean isFailure() {
    return this == FAILED || this == PERMANENTLY_FAILED;
  }
}
