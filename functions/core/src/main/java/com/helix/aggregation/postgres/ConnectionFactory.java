package com.helix.aggregation.postgres;

import com.helix.aggregation.config.DatabaseUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** Opens a new database session. */
@FunctionalInterface
public interface ConnectionFactory {

  Connection open() throws SQLException;

  /** A human-readable target for error messages, without credentials. */
  default String describe() {
    return "PostgreSQL";
  }

  /**
   * Sessions from a JDBC URL. Sets an application name (unless the URL does) so operators can find
   * the job in {@code pg_stat_activity}, and timeouts so a lost network cannot hang a run.
   */
  static ConnectionFactory fromUrl(String url, Duration statementTimeout) {
    return new ConnectionFactory() {
      @Override
      public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "helix-aggregation");
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        // Backstop for a silent network: statement_timeout ends every healthy statement first.
        props.setProperty("socketTimeout", String.valueOf(statementTimeout.toSeconds() + 60));
        return DriverManager.getConnection(url, props);
      }

      @Override
      public String describe() {
        return DatabaseUrls.redact(url);
      }
    };
  }
}
