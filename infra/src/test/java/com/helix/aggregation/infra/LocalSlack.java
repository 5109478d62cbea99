package com.helix.aggregation.infra;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Slack incoming webhook on loopback, standing in for Slack: records each posted body and answers
 * with the next programmed status (200 {@code ok} once they run out).
 */
final class LocalSlack implements AutoCloseable {
  static final String PATH = "/services/T0HELIX00/B0ALERTS0/artifactTestWebhookToken";

  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final Deque<Integer> statuses = new ArrayDeque<>();

  LocalSlack() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          int status;
          synchronized (statuses) {
            status = statuses.isEmpty() ? 200 : statuses.poll();
          }
          byte[] answer =
              (status == 200 ? "ok" : "internal_error").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  URI webhookUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** The next requests are answered with these statuses, in order. */
  void answer(int... next) {
    synchronized (statuses) {
      for (int status : next) {
        statuses.add(status);
      }
    }
  }

  List<String> bodies() {
    return List.copyOf(bodies);
  }

  void clear() {
    bodies.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
