package com.helix.aggregation.postgres;

/** A database error that retrying will not fix; the message carries the SQLSTATE. */
public class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
