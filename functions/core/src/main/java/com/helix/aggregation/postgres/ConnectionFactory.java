package com.helix.aggregation.postgres;

import com.helix.aggregation.config.DatabaseCredentials;
import com.helix.aggregation.config.DatabaseUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;

/** Opens a new database session. */
@FunctionalInterface
public interface ConnectionFactory {

  Connection open() throws SQLException;

  /** A human-readable target for error messages, without credentials. */
  default String describe() {
    return "PostgreSQL";
  }

  /** Sessions from a JDBC URL (local use: {@code HELIX_DATABASE_URL}). */
  static ConnectionFactory fromUrl(String url, Duration statementTimeout) {
    return new ConnectionFactory() {
      @Override
      public Connection open() throws SQLException {
        return DriverManager.getConnection(url, properties(statementTimeout));
      }

      @Override
      public String describe() {
        return DatabaseUrls.redact(url);
      }
    };
  }

  /**
   * Sessions from credentials kept elsewhere (a Secrets Manager secret on AWS). When the database
   * refuses the password, the credentials are fetched again once ({@code forget}): the secret may
   * have been rotated since it was read.
   */
  static ConnectionFactory fromCredentials(
      Supplier<DatabaseCredentials> credentials,
      Runnable forget,
      String description,
      Duration statementTimeout) {
    return new ConnectionFactory() {
      @Override
      public Connection open() throws SQLException {
        try {
          return connect(credentials.get());
        } catch (SQLException e) {
          if (!"28P01".equals(e.getSQLState())) {
            throw e;
          }
          forget.run();
          return connect(credentials.get());
        }
      }

      private Connection connect(DatabaseCredentials c) throws SQLException {
        Properties props = properties(statementTimeout);
        props.setProperty("user", c.user());
        props.setProperty("password", c.password());
        return DriverManager.getConnection(c.jdbcUrl(), props);
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  /**
   * An application name (unless the URL sets one) so operators can find the job in {@code
   * pg_stat_activity}, and timeouts so a lost network cannot hang a run.
   */
  private static Properties properties(Duration statementTimeout) {
    Properties props = new Properties();
    props.setProperty("ApplicationName", "helix-aggregation");
    props.setProperty("connectTimeout", "10");
    props.setProperty("tcpKeepAlive", "true");
    // Backstop for a silent network: statement_timeout ends every healthy statement first.
    props.setProperty("socketTimeout", String.valueOf(statementTimeout.toSeconds() + 60));
    return props;
  }
}
