package com.helix.aggregation.core;

/**
 * An error worth retrying inside the attempt (SPEC §6): connection loss, deadlock, admin shutdown,
 * throttling. Adapters wrap such errors in it; everything else is not retried.
 */
public class TransientFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TransientFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
