package com.helix.aggregation.functions.slack;

/** The webhook URL cannot be read or is not a URL; the message never contains the secret. */
public class WebhookUrlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WebhookUrlException(String message) {
    super(message);
  }
}
