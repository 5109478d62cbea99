package com.helix.aggregation.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL of a fault test's own (the shared test server must never go down), which can be
 * restarted: stopped with {@code pg_ctl stop} and started again on the same data directory and
 * port, as a managed database restarts or fails over. Its sessions all die with it.
 */
public final class RestartablePostgres implements AutoCloseable {
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  public RestartablePostgres() {
    try {
      this.dataDirectory = Files.createTempDirectory("helix-restartable-pg").resolve("data");
      try (ServerSocket socket = new ServerSocket(0)) {
        this.port = socket.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  public String url() {
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
  }

  public int port() {
    return port;
  }

  /** Stops the server (every session ends) and starts it again on the same data. */
  public void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    stop();
    try (var files = Files.walk(dataDirectory.getParent())) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }

  private void start() {
    try {
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              // kept on stop: a restart finds its data again (initdb creates it the first time)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60)) // a restart on a loaded machine
              .setServerConfig("max_connections", "100")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the restartable PostgreSQL", e);
    }
  }

  private void stop() {
    try {
      if (server != null) {
        server.close();
        server = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
