package com.helix.aggregation.core;

/**
 * A transient error that outlasted its retry budget: the database or the lease store is not coming
 * back within the run. An error of the environment; it never counts against a day.
 */
public class EnvironmentUnavailableException extends EnvironmentException {
  private static final long serialVersionUID = 1L;

  public EnvironmentUnavailableException(String message, TransientFailureException cause) {
    super(message, cause);
  }
}
