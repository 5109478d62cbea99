package com.helix.aggregation.core;

/**
 * The run was asked to stop (SIGTERM, Ctrl-C, a function's shutdown): not a failure of any day. The
 * attempt in progress is recorded as {@link Outcome#INTERRUPTED}.
 */
public class RunInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunInterruptedException(String reason) {
    super(reason);
  }
}
