package com.helix.aggregation.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Freezes one session of the code under test at a chosen point, as a long GC pause or a stalled
 * network would, without any hook in the production code: a trigger in the database makes the
 * session whose {@code application_name} is {@link #applicationName()} wait on an advisory lock
 * that this object holds until {@link #release()}.
 */
public final class PausePoint implements AutoCloseable {

  /** Where the session stops. */
  public enum Where {
    /**
     * Inside the aggregation transaction, after its snapshot was taken and before its first lock or
     * write (when it creates its temp table of the day's groups: a DDL event trigger fires).
     */
    INSIDE_TRANSACTION("pause-in-tx-"),
    /** After the lease was taken, before the aggregation transaction (its job run insert). */
    BEFORE_TRANSACTION("pause-before-tx-");

    private final String prefix;

    Where(String prefix) {
      this.prefix = prefix;
    }
  }

  private static boolean installed;

  private final TestDatabase db;
  private final String applicationName;
  private final Connection holder;

  private PausePoint(TestDatabase db, String applicationName) throws SQLException {
    this.db = db;
    this.applicationName = applicationName;
    this.holder = DriverManager.getConnection(db.url());
    try (PreparedStatement ps = holder.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
      ps.setString(1, applicationName);
      ps.executeQuery().close();
    }
  }

  /** Holds a pause point; sessions with {@link #applicationName()} stop there. */
  public static PausePoint hold(TestDatabase db, Where where, String name) {
    install(db);
    try {
      return new PausePoint(db, where.prefix + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public String applicationName() {
    return applicationName;
  }

  /** The JDBC URL whose sessions stop here. */
  public String url() {
    return db.url(applicationName);
  }

  /** Waits until a session stopped here. */
  public void awaitPaused(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      long waiting =
          db.count(
              "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                  + " AND wait_event = 'advisory'",
              applicationName);
      if (waiting > 0) {
        return;
      }
      sleep(20);
    }
    throw new AssertionError("no session paused at " + applicationName + " within " + timeout);
  }

  /** Lets the paused session go on. */
  public void release() {
    try {
      if (!holder.isClosed()) {
        holder.close();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    release();
  }

  private static synchronized void install(TestDatabase db) {
    db.execute(
        "CREATE OR REPLACE FUNCTION {schema}.pause_before_tx() RETURNS trigger LANGUAGE plpgsql"
            + " AS $$ BEGIN IF current_setting('application_name') LIKE 'pause-before-tx-%' THEN"
            + " PERFORM pg_advisory_lock(hashtext(current_setting('application_name')));"
            + " PERFORM pg_advisory_unlock(hashtext(current_setting('application_name')));"
            + " END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE TRIGGER pause_before_tx BEFORE INSERT ON {schema}.job_runs"
            + " FOR EACH ROW EXECUTE FUNCTION {schema}.pause_before_tx()");
    if (installed) {
      return;
    }
    db.execute(
        "CREATE OR REPLACE FUNCTION public.helix_test_pause_in_tx() RETURNS event_trigger"
            + " LANGUAGE plpgsql AS $$ BEGIN"
            + " IF current_setting('application_name') LIKE 'pause-in-tx-%' THEN"
            + " PERFORM pg_advisory_lock(hashtext(current_setting('application_name')));"
            + " PERFORM pg_advisory_unlock(hashtext(current_setting('application_name')));"
            + " END IF; END $$",
        "DROP EVENT TRIGGER IF EXISTS helix_test_pause_in_tx",
        "CREATE EVENT TRIGGER helix_test_pause_in_tx ON ddl_command_start"
            + " WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS') EXECUTE FUNCTION public.helix_test_pause_in_tx()");
    installed = true;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
