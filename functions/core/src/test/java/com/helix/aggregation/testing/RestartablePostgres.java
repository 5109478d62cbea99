package com.helix.aggregation.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
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

  /**
   * From now on every user but {@code postgres} (the fixture's) signs in over TCP with a SCRAM
   * password, as on a managed database: the server's {@code pg_hba.conf} rewritten and reloaded.
   */
  public void requirePasswords() {
    try {
      Files.writeString(
          dataDirectory.resolve("pg_hba.conf"),
          """
          local all all trust
          host all postgres 127.0.0.1/32 trust
          host all postgres ::1/128 trust
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """);
      try (var c = DriverManager.getConnection(url());
          var s = c.createStatement()) {
        s.execute("DROP ROLE IF EXISTS helix_hba_probe");
        s.execute("CREATE ROLE helix_hba_probe LOGIN PASSWORD 'probe'");
        s.execute("SELECT pg_reload_conf()");
      }
      // The reload is asynchronous: wait until a wrong password is refused.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String probe = "jdbc:postgresql://localhost:" + port + "/postgres";
      while (true) {
        try {
          DriverManager.getConnection(probe, "helix_hba_probe", "wrong").close();
        } catch (SQLException e) {
          if ("28P01".equals(e.getSQLState())) {
            return;
          }
          throw e;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the server still takes any password after a reload");
        }
        Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reload the server's configuration", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server (every session ends) and starts it again on the same data. */
  public void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      try (var files = Files.walk(dataDirectory.getParent())) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory
      }
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
