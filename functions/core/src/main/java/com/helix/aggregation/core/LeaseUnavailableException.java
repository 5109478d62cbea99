package com.helix.aggregation.core;

/**
 * The lock service cannot be reached or its table is missing. Nothing is aggregated: the attempt
 * fails closed with this message, which names the table and the endpoint (SPEC §4).
 */
public class LeaseUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
