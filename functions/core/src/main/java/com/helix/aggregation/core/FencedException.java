package com.helix.aggregation.core;

/**
 * A writer's snapshot predates another writer's committed result for the same day, so its write was
 * refused instead of overwriting newer figures (SPEC §3). Not a failure of the day.
 */
public class FencedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FencedException(String message, Throwable cause) {
    super(message, cause);
  }
}
