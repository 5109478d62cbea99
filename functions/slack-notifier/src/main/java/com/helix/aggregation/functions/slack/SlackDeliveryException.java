package com.helix.aggregation.functions.slack;

/**
 * Slack did not take a message. The one-line message names the last status or error and the
 * webhook's host, never its path (the path is the secret).
 */
public class SlackDeliveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int attempts;

  public SlackDeliveryException(String message, int attempts) {
    super(message);
    this.attempts = attempts;
  }

  /** The POSTs made before giving up. */
  public int attempts() {
    return attempts;
  }
}
