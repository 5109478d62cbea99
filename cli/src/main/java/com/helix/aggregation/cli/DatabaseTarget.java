package com.helix.aggregation.cli;

import com.helix.aggregation.config.HelixConfig;
import java.util.Map;

/**
 * The PostgreSQL a command works on: {@code HELIX_DATABASE_URL}, or a throwaway embedded one when
 * {@code --embedded} was given. An operator must never "succeed" against a throwaway database by
 * accident, so one of the two is required.
 */
final class DatabaseTarget implements AutoCloseable {
  private final String url;
  private final EmbeddedDatabase embedded;

  private DatabaseTarget(String url, EmbeddedDatabase embedded) {
    this.url = url;
    this.embedded = embedded;
  }

  /**
   * @throws UsageException when neither is configured
   */
  static DatabaseTarget open(DatabaseOptions options, HelixConfig config) {
    return open(options, config, Map.of());
  }

  /**
   * @param embeddedSettings server settings for an embedded database (a configured one is used as
   *     it is)
   */
  static DatabaseTarget open(
      DatabaseOptions options, HelixConfig config, Map<String, String> embeddedSettings) {
    if (options.embedded) {
      EmbeddedDatabase embedded = EmbeddedDatabase.start(embeddedSettings);
      return new DatabaseTarget(embedded.url(), embedded);
    }
    String url =
        config
            .databaseUrl()
            .orElseThrow(
                () ->
                    new UsageException(
                        "no database configured: set "
                            + HelixConfig.DATABASE_URL
                            + " (a jdbc:postgresql:// URL) or pass --embedded for a throwaway one"));
    return new DatabaseTarget(url, null);
  }

  String url() {
    return url;
  }

  boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
