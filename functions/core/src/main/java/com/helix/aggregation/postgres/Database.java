package com.helix.aggregation.postgres;

import com.helix.aggregation.core.TransientFailureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * One database session, opened lazily and re-opened after it broke: a worker uses at most one
 * connection (SPEC §7), shared by its lease (session advisory locks) and its store. Not
 * thread-safe: one per worker thread.
 */
public final class Database implements AutoCloseable {

  /** Work on the session that may throw SQL errors. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final ConnectionFactory factory;
  private final Duration statementTimeout;
  private Connection connection;

  public Database(ConnectionFactory factory, Duration statementTimeout) {
    this.factory = factory;
    this.statementTimeout = statementTimeout;
  }

  /** Runs work in one transaction at the given isolation level; commits, or rolls back. */
  public <T> T inTransaction(int isolation, Work<T> work) {
    Connection c = connection();
    try {
      c.setAutoCommit(false);
      c.setTransactionIsolation(isolation);
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw translate(e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  /** Runs work in autocommit mode (each statement its own transaction). */
  public <T> T autocommit(Work<T> work) {
    Connection c = connection();
    try {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** The open session; opens one if there is none or the last one broke. */
  public Connection connection() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = open();
      }
      return connection;
    } catch (SQLException e) {
      connection = null;
      throw new TransientFailureException(
          "cannot connect to the database at " + factory.describe() + ": " + e.getMessage(), e);
    }
  }

  /** Where the database is, without credentials. */
  public String describe() {
    return factory.describe();
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // closing a broken session: nothing left to release
      }
      connection = null;
    }
  }

  private Connection open() throws SQLException {
    Connection c = factory.open();
    try (Statement s = c.createStatement()) {
      s.execute("SET statement_timeout = " + statementTimeout.toMillis());
      // Notice a vanished client even mid-statement, so a dead holder's session (and its
      // advisory-lock lease) ends within seconds rather than when its statement finishes.
      s.execute("SET client_connection_check_interval = 2000");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * Maps an SQL error: connection loss, serialization failure, deadlock, admin shutdown and
   * too-many-connections are transient (SPEC §6); the session is dropped after connection errors so
   * the next call opens a new one.
   */
  RuntimeException translate(SQLException e) {
    String state = PostgresErrors.sqlState(e);
    String message = PostgresErrors.describe(e);
    if (PostgresErrors.isConnectionLoss(state)) {
      close();
      return new TransientFailureException(
          "lost the database connection to " + factory.describe() + ": " + message, e);
    }
    if (PostgresErrors.isTransient(state)) {
      return new TransientFailureException(message, e);
    }
    return new DatabaseException(message, e);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.isClosed()) {
        c.rollback();
      }
    } catch (SQLException e) {
      // the transaction is gone with the session
    }
  }
}
