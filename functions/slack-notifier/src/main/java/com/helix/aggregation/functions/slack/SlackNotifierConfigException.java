package com.helix.aggregation.functions.slack;

/** A configuration variable is missing or has a bad value; the message names the variable. */
public class SlackNotifierConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SlackNotifierConfigException(String message) {
    super(message);
  }
}
