package com.helix.aggregation.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * A throwaway real PostgreSQL (binaries from Maven Central) for the demo and {@code --embedded}:
 * started in a temporary directory, deleted when closed. Never a place for real figures.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedDatabase start() {
    return start(Map.of());
  }

  /**
   * Started with server settings of its own, e.g. {@code fsync=on} for {@code helix bench}: the
   * embedded server runs with {@code fsync} off unless told otherwise.
   */
  static EmbeddedDatabase start(Map<String, String> serverSettings) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)); // slow machines
      serverSettings.forEach(builder::setServerConfig);
      return new EmbeddedDatabase(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  String url() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      // its directory is temporary; nothing else to clean up
    }
  }
}
