package com.helix.aggregation.functions.slack;

import java.net.URI;

/**
 * Where the Slack webhook URL comes from. The URL is a secret: never log it or put it in errors.
 */
public interface WebhookUrlSource {

  /** The current webhook URL; a {@link WebhookUrlException} when it cannot be read. */
  URI webhookUrl();

  /** Drops a URL held in memory, so that the next call reads it again. */
  default void forget() {}
}
