package com.helix.aggregation.postgres;

/**
 * This run is configured for another lease store than the one its deployment recorded: a
 * configuration error, refused before anything runs.
 */
public class LeaseStoreMismatchException extends DatabaseSetupException {
  private static final long serialVersionUID = 1L;

  public LeaseStoreMismatchException(String message) {
    super(message);
  }
}
