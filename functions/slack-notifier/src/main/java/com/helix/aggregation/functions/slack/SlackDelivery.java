package com.helix.aggregation.functions.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Delivers one payload to Slack, retrying what may pass on a second try: a connection failure, a
 * timeout, a 5xx or a 429 (after its Retry-After when that is longer), with exponential backoff (3
 * attempts, 1 s then 2 s), never past the invocation's deadline. Any other status (a 4xx: the
 * payload or the URL is wrong; a 3xx: the URL is) is not retried. Giving up is a {@link
 * SlackDeliveryException}, which fails the invocation so that Lambda retries it and the notifier's
 * error alarm sees it.
 */
public final class SlackDelivery {
  static final int MAX_ATTEMPTS = 3;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /** Slack answers a webhook in well under a second; 5 s is a stuck connection. */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  /** An attempt with less time than this left would only time out. */
  static final Duration MIN_ATTEMPT = Duration.ofMillis(500);

  /** Slack's error bodies are codes such as invalid_payload; anything else is not repeated. */
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

  private final SlackPoster poster;
  private final Clock clock;
  private final Sleeper sleeper;

  public SlackDelivery(SlackPoster poster, Clock clock, Sleeper sleeper) {
    this.poster = poster;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** What a successful delivery took. */
  public record Delivered(int attempts, int status) {}

  public Delivered deliver(URI webhook, String payload, Instant deadline) {
    String target = "Slack webhook " + host(webhook);
    Duration backoff = FIRST_BACKOFF;
    String last = null;
    for (int attempt = 1; ; attempt++) {
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.compareTo(MIN_ATTEMPT) < 0) {
        throw gaveUp(target, attempt - 1, last, left.toMillis() + " ms of the invocation left");
      }
      Duration wait = backoff;
      try {
        SlackPoster.Response response = poster.post(webhook, payload, min(ATTEMPT_TIMEOUT, left));
        int status = response.status();
        if (status >= 200 && status < 300) {
          return new Delivered(attempt, status);
        }
        last = "HTTP " + status + errorCode(response.body());
        if (status != 429 && status < 500) {
          throw new SlackDeliveryException(
              target
                  + " refused the message with "
                  + last
                  + " (not retried: the payload or the webhook URL is wrong)",
              attempt);
        }
        if (response.retryAfter().isPresent()) {
          wait = max(wait, response.retryAfter().get());
        }
      } catch (IOException e) {
        last = describe(e, webhook);
      }
      if (attempt == MAX_ATTEMPTS) {
        throw gaveUp(target, attempt, last, null);
      }
      if (clock.instant().plus(wait).plus(MIN_ATTEMPT).isAfter(deadline)) {
        throw gaveUp(
            target,
            attempt,
            last,
            "the invocation ends before a retry in " + wait.toMillis() + " ms");
      }
      sleeper.sleep(wait);
      backoff = backoff.multipliedBy(2);
    }
  }

  private static SlackDeliveryException gaveUp(
      String target, int attempts, String last, String why) {
    String tried =
        attempts == 0
            ? " not tried"
            : " failed "
                + attempts
                + (attempts == 1 ? " attempt" : " attempts")
                + (attempts == 1 ? " with " : ", the last with ")
                + last;
    return new SlackDeliveryException(target + tried + (why == null ? "" : ": " + why), attempts);
  }

  /** Host and port of the webhook: enough to tell which service failed; the path is the secret. */
  static String host(URI webhook) {
    return webhook.getHost() + (webhook.getPort() == -1 ? "" : ":" + webhook.getPort());
  }

  private static String errorCode(String body) {
    String code = body == null ? "" : body.strip();
    return ERROR_CODE.matcher(code).matches() && !code.equals("ok") ? " " + code : "";
  }

  /** The failure in one line, with the URL's secret path removed should a message carry it. */
  private static String describe(IOException e, URI webhook) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String path = webhook.getRawPath();
    if (path != null && path.length() > 1) {
      message = message.replace(webhook.toString(), host(webhook)).replace(path, "/…");
    }
    return e.getClass().getSimpleName() + " (" + message.replaceAll("\\s+", " ") + ")";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
