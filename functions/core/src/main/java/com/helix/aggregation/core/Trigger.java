package com.helix.aggregation.core;

/** What started an attempt; stored in {@code job_runs.trigger}. */
public enum Trigger {
  SCHEDULE("schedule"),
  RETRY("retry"),
  CATCH_UP("catch-up"),
  BACKFILL("backfill"),
  MANUAL("manual");

  private final String value;

  Trigger(String value) {
    this.value = value;
  }

  /** The name stored in the database and written to logs. */
  public String value() {
    return value;
  }
}
