package com.helix.aggregation.postgres;

import com.helix.aggregation.core.EnvironmentException;

/**
 * A database error about the setup, not the day (a missing table, column or privilege, failed
 * authentication): it fails the run and is never counted against a day.
 */
public class DatabaseSetupException extends EnvironmentException {
  private static final long serialVersionUID = 1L;

  public DatabaseSetupException(String message, Throwable cause) {
    super(message, cause);
  }

  public DatabaseSetupException(String message) {
    super(message);
  }
}
