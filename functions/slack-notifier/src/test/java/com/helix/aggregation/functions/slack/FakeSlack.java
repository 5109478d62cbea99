package com.helix.aggregation.functions.slack;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Slack's incoming webhook, on loopback: records every request and answers each with the next
 * programmed response (200 {@code ok} once they run out), or not at all within a delay.
 */
final class FakeSlack implements AutoCloseable {
  /** The webhook's secret path, as Slack issues them. */
  static final String SECRET_PATH = "/services/T0HELIX00/B0ALERTS0/s3cr3tW3bh00kT0k3nXyZ";

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>();

  /** One request as Slack got it. */
  record Received(String method, String path, String contentType, String body) {
    Map<String, Object> json() {
      try {
        return JSON.std.mapFrom(body);
      } catch (IOException e) {
        throw new AssertionError("Slack received a body that is not JSON: " + body, e);
      }
    }
  }

  private record Answer(int status, String body, Duration delay, String retryAfter) {}

  FakeSlack() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  body));
          Answer answer;
          synchronized (answers) {
            answer =
                answers.isEmpty() ? new Answer(200, "ok", Duration.ZERO, null) : answers.poll();
          }
          try {
            Thread.sleep(answer.delay().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
          }
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer.status(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** The webhook URL, the secret. */
  URI webhookUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH);
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next requests are answered with these statuses, in order. */
  FakeSlack answer(int status, String body) {
    return answer(status, body, Duration.ZERO, null);
  }

  FakeSlack answer(int status, String body, Duration delay, String retryAfter) {
    synchronized (answers) {
      answers.add(new Answer(status, body, delay, retryAfter));
    }
    return this;
  }

  FakeSlack answerAlways(int status, String body, int times) {
    for (int i = 0; i < times; i++) {
      answer(status, body);
    }
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  Received onlyRequest() {
    if (received.size() != 1) {
      throw new AssertionError("expected one request to Slack, got " + received.size());
    }
    return received.get(0);
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
