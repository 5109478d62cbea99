package com.helix.aggregation.core;

/**
 * The lock service cannot be reached or its table is missing. Nothing is aggregated: the attempt
 * fails closed with this message, which names the table and the endpoint (SPEC §4). An error of the
 * environment: it never counts against a day.
 */
public class LeaseUnavailableException extends EnvironmentException {
  private static final long serialVersionUID = 1L;

  public LeaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
