package com.helix.aggregation.functions.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Sends one payload to a Slack incoming webhook: one HTTP POST, no retries. */
public interface SlackPoster {

  /**
   * Posts the JSON payload and returns Slack's answer, whatever its status; an {@link IOException}
   * when there is none (connection refused or reset, timeout).
   *
   * @param timeout bounds the whole exchange
   */
  Response post(URI webhook, String json, Duration timeout) throws IOException;

  /**
   * Slack's answer.
   *
   * @param status the HTTP status
   * @param body the body: {@code ok}, or an error code such as {@code invalid_payload}
   * @param retryAfter the Retry-After of a 429, if given
   */
  record Response(int status, String body, Optional<Duration> retryAfter) {}
}
