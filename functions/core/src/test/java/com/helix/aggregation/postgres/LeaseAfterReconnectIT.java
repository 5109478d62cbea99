package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, defect 1: when the worker's session breaks and is replaced (connection lost, a
 * terminated backend, a failover), the session's advisory locks are gone; the provider must know
 * it, never answer "held" from memory, so a backfill waiting for "another backfill" does not wait
 * for itself forever.
 */
class LeaseAfterReconnectIT {

  @Test
  void givenTheSessionWasTerminated_thenItsLeaseIsLost_andTakenAgainFromTheServer() {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (Database session = db.open()) {
      LeaseProvider leases =
          new PostgresLeaseProvider(
              session, db.schema(), Duration.ofMinutes(16), Clock.systemUTC());
      Lease lease = leases.tryAcquire("backfill").orElseThrow();

      db.terminateBackend(backendPid(session)); // its advisory lock is gone before the next try

      assertThat(leases.renew(lease)).as("the lock went with the session").isFalse();
      assertThat(locksOf(db, session)).as("no advisory lock on the new session").isZero();
      Lease again = leases.tryAcquire("backfill").orElseThrow(); // hung forever before the fix
      assertThat(again.token()).isGreaterThan(lease.token());
      assertThat(locksOf(db, session)).isEqualTo(1);
      assertThat(leases.release(lease)).as("the old lease is not ours any more").isFalse();
      assertThat(leases.release(again)).isTrue();
      assertThat(locksOf(db, session)).isZero();
    }
  }

  @Test
  void givenTheSessionWasReplacedUnnoticed_thenATakeFindsTheLockOnTheServer_notInMemory() {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (Database session = db.open()) {
      LeaseProvider leases =
          new PostgresLeaseProvider(
              session, db.schema(), Duration.ofMinutes(16), Clock.systemUTC());
      Lease lease = leases.tryAcquire("daily-aggregate#2026-02-02").orElseThrow();
      db.terminateBackend(backendPid(session)); // its advisory lock is gone before the next try
      // a statement of the store notices the broken session and the next one opens a new one
      try {
        backendPid(session);
      } catch (RuntimeException lost) {
        // the transient error the store would retry
      }

      Lease again = leases.tryAcquire("daily-aggregate#2026-02-02").orElseThrow();

      assertThat(again.token()).isGreaterThan(lease.token());
      assertThat(leases.tryAcquire("daily-aggregate#2026-02-02"))
          .as("and a second take in the same session is refused by the server")
          .isEmpty();
    }
  }

  private static long backendPid(Database session) {
    return session.autocommit(
        c -> {
          try (var rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static long locksOf(TestDatabase db, Database session) {
    return db.count(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = ?",
        (int) backendPid(session));
  }
}
