package com.helix.aggregation.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one real PostgreSQL of a test run: an embedded PostgreSQL 17 (binaries from Maven Central,
 * fsync off) started once per JVM, or the server named by {@code HELIX_TEST_DATABASE_URL}. Each
 * test takes a {@link TestDatabase} of its own: a fresh schema with the owned objects migrated and
 * a raw table beside them, so tests never see each other's rows.
 */
public final class PostgresFixture {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static volatile String baseUrl;
  private static EmbeddedPostgres embedded;

  private PostgresFixture() {}

  /** The JDBC URL of the test server (with credentials). */
  public static synchronized String url() {
    if (baseUrl == null) {
      String external = System.getenv("HELIX_TEST_DATABASE_URL");
      if (external != null && !external.isBlank()) {
        baseUrl = external;
      } else {
        try {
          embedded =
              EmbeddedPostgres.builder()
                  // a loaded build machine may take longer than the default 10 s to start it
                  .setPGStartupWait(Duration.ofSeconds(60))
                  .setServerConfig("max_connections", "200")
                  .setServerConfig("shared_buffers", "256MB")
                  .start();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        baseUrl = embedded.getJdbcUrl("postgres", "postgres");
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresFixture::stop));
      }
    }
    return baseUrl;
  }

  /** A fresh schema with the owned objects and an empty raw table. */
  public static TestDatabase freshDatabase() {
    return freshDatabase(url());
  }

  /** The same on another server, e.g. a {@link RestartablePostgres} of a fault test. */
  public static TestDatabase freshDatabase(String serverUrl) {
    String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    TestDatabase db = new TestDatabase(serverUrl, schema);
    db.migrate();
    return db;
  }

  /** Runs one statement on a new session, for test setup. */
  public static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static void stop() {
    try {
      if (embedded != null) {
        embedded.close();
      }
    } catch (IOException e) {
      // the JVM is exiting; the server's directory is temporary
    }
  }
}
