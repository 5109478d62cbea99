package com.helix.aggregation.postgres;

import com.helix.aggregation.core.RunInterruptedException;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.TransientFailureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.core.BaseConnection;

/**
 * One database session, opened lazily and re-opened after it broke: a worker uses at most one
 * connection (SPEC §7), shared by its lease (session advisory locks) and its store. Not
 * thread-safe: one per worker thread (only a stop request may come from another thread).
 *
 * <p>Errors are classified here (SPEC §6): transient ones ({@link TransientFailureException}) are
 * retried by the caller, errors of the setup ({@link DatabaseSetupException}) fail the run without
 * charging a day, the rest ({@link DatabaseException}) are the day's own. When the run is asked to
 * stop, the statement of a day's work in progress is cancelled and ends the attempt as interrupted;
 * bookkeeping statements are never cancelled.
 */
public final class Database implements AutoCloseable {

  /** Work on the session that may throw SQL errors. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final ConnectionFactory factory;
  private final Duration statementTimeout;
  private final StopSignal stop;
  private final Object cancelLock = new Object();
  private volatile Connection connection;
  private int session;
  private boolean inDaysWork;

  public Database(ConnectionFactory factory, Duration statementTimeout) {
    this(factory, statementTimeout, new StopSignal());
  }

  /**
   * @param stop the run's stop request: cancels the day's statement in progress
   */
  public Database(ConnectionFactory factory, Duration statementTimeout, StopSignal stop) {
    this.factory = factory;
    this.statementTimeout = statementTimeout;
    this.stop = stop;
    stop.onStop(this::cancelDaysWork);
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

  /**
   * A transaction of a day's work (aggregation, verification): a stop request cancels its statement
   * in progress, and it ends with {@link RunInterruptedException}; the transaction rolls back, so
   * the day keeps its old state.
   */
  public <T> T inDaysWorkTransaction(int isolation, Work<T> work) {
    synchronized (cancelLock) {
      stop.check();
      inDaysWork = true;
    }
    try {
      return inTransaction(isolation, work);
    } finally {
      synchronized (cancelLock) {
        inDaysWork = false;
      }
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
        session++;
      }
      return connection;
    } catch (SQLException e) {
      connection = null;
      String state = PostgresErrors.sqlState(e);
      String message =
          "cannot connect to the database at " + factory.describe() + ": " + e.getMessage();
      if (PostgresErrors.isEnvironment(state)) {
        throw new DatabaseSetupException(message, e);
      }
      throw new TransientFailureException(message, e);
    }
  }

  /**
   * Which session this is: it changes whenever a broken session was replaced, and with it every
   * session-level lock is gone.
   */
  public int session() {
    return session;
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

  /** On a stop request (from another thread): cancels the day's statement in progress, if any. */
  private void cancelDaysWork() {
    synchronized (cancelLock) {
      Connection c = connection;
      if (!inDaysWork || c == null) {
        return;
      }
      try {
        c.unwrap(BaseConnection.class).cancelQuery();
      } catch (SQLException e) {
        // the session is broken: its statement is gone anyway
      }
    }
  }

  /**
   * Maps an SQL error (SPEC §6). The session is dropped after connection errors so the next call
   * opens a new one. A statement cancelled by a stop request ends the day's work; one that was not
   * the day's work (a late cancel reaching bookkeeping) is retried.
   */
  RuntimeException translate(SQLException e) {
    String state = PostgresErrors.sqlState(e);
    String message = PostgresErrors.describe(e);
    if (state.equals(PostgresErrors.QUERY_CANCELED) && stop.isRequested()) {
      boolean daysWork;
      synchronized (cancelLock) {
        daysWork = inDaysWork;
      }
      return daysWork
          ? new RunInterruptedException(stop.reason())
          : new TransientFailureException("cancelled by the stop request: " + message, e);
    }
    if (PostgresErrors.isConnectionLoss(state)) {
      close();
      return new TransientFailureException(
          "lost the database connection to " + factory.describe() + ": " + message, e);
    }
    if (PostgresErrors.isTransient(state)) {
      return new TransientFailureException(message, e);
    }
    if (PostgresErrors.isEnvironment(state)) {
      return new DatabaseSetupException(message + " (at " + factory.describe() + ")", e);
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
