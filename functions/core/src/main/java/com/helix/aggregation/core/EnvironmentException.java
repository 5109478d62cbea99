package com.helix.aggregation.core;

/**
 * An error about the environment, not about a day (SPEC §6): the database or the lease store
 * unreachable, the raw table missing or changed, a privilege missing, the schema not current, the
 * deployment's lease store differs. It fails the run, is recorded, and never counts as an attempt
 * of any day: the day did nothing wrong.
 */
public class EnvironmentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }

  public EnvironmentException(String message) {
    super(message);
  }
}
