package com.helix.aggregation.functions.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Posts to Slack with the JDK's HTTP client (no dependency); built once per environment. */
public final class JdkHttpSlackPoster implements SlackPoster {
  private final HttpClient http;

  public JdkHttpSlackPoster(Duration connectTimeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            // One small POST per alarm: HTTP/1.1 keeps it simple (no h2c upgrade on plain http).
            .version(HttpClient.Version.HTTP_1_1)
            // A webhook that redirects is misconfigured; following it could send the alarm
            // somewhere unexpected.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public Response post(URI webhook, String json, Duration timeout) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(webhook)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Retry-After").flatMap(JdkHttpSlackPoster::seconds));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while posting to Slack", e);
    }
  }

  private static Optional<Duration> seconds(String retryAfter) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: the backoff decides
    }
  }
}
