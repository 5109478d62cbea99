package com.helix.aggregation.postgres;

/** The owned schema is missing or at another version than this build needs. */
public class SchemaNotCurrentException extends DatabaseSetupException {
  private static final long serialVersionUID = 1L;

  public SchemaNotCurrentException(String message) {
    super(message);
  }
}
