package com.helix.aggregation.core;

/** A day that may not be aggregated as asked (in the future, or today without consent). */
public class InvalidDayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidDayException(String message) {
    super(message);
  }
}
