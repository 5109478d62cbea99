package com.helix.aggregation.core.queue;

/** Where one day of a queued backfill request stands ({@code backfill_request_days.status}). */
public enum RequestDayStatus {
  QUEUED("queued"),
  AGGREGATED("aggregated"),
  UNCHANGED("unchanged"),
  /** Another run held the day's lease throughout: it owns the day's outcome. */
  SKIPPED_LOCKED("skipped-locked"),
  /** Aggregated, but its raw data kept changing, so it is left unverified for the next run. */
  UNVERIFIED("unverified"),
  /** Failed, with attempts left after the worker's rounds: later runs go on counting. */
  FAILED("failed"),
  /** Failed for good (now, and sent to the dead-letter queue; or before this request). */
  PERMANENTLY_FAILED("permanently-failed"),
  /** The request was cancelled before the worker reached the day. */
  CANCELLED("cancelled");

  private final String value;

  RequestDayStatus(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static RequestDayStatus fromValue(String value) {
    for (RequestDayStatus status : values()) {
      if (status.value.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown request day status '" + value + "'");
  }

  /** The worker is done with the day. */
  public boolean isFinished() {
    return this != QUEUED;
  }

  /** Ended aggregated or unchanged, as a local backfill's successful days do (SPEC §7). */
  public boolean isSuccess() {
    return this == AGGREGATED || this == UNCHANGED;
  }
}
