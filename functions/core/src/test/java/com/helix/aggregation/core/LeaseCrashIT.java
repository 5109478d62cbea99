package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.LeaseBackend;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PausePoint;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.testing.WorkerProcesses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A process holding the day's lease is killed with SIGKILL in the middle of its aggregation
 * transaction. With the DynamoDB lease, runs skip until the lease expires, then the next run
 * completes with exact totals. With the PostgreSQL lease, runs skip while the holder lives; the
 * lease dies with the holder's session, so the next run proceeds at once.
 */
class LeaseCrashIT {
  private static final LocalDate DAY = LocalDate.of(2025, 8, 14);

  @Test
  void givenTheDynamoDbHolderIsKilled_thenRunsSkipUntilItsLeaseExpires_thenComplete()
      throws Exception {
    TestDatabase db = dayWithData();
    LeaseBackend.Setup leases = LeaseBackend.DYNAMODB.setUp(db, Duration.ofSeconds(15));
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "crash-ddb")) {
      killHolderMidTransaction(leases, pause);
      // the expiry the holder wrote (its process may have started late on a loaded machine)
      Instant expiry = storedExpiry(leases.table(), AggregateDayService.leaseKey(DAY));

      List<Outcome> outcomes = new ArrayList<>();
      try (Harness next = new Harness(db, db.sessions(), Clock.systemUTC(), leases.providers())) {
        Outcome outcome;
        do {
          outcome = next.run(DAY).outcome();
          outcomes.add(outcome);
          if (outcome == Outcome.SKIPPED_LOCKED) {
            assertThat(Instant.now())
                .as("still skipping after the expiry")
                .isBefore(expiry.plusSeconds(5));
            Thread.sleep(500);
          }
        } while (outcome == Outcome.SKIPPED_LOCKED);
        Instant completedAt = Instant.now();

        assertThat(outcomes.get(0)).isEqualTo(Outcome.SKIPPED_LOCKED);
        assertThat(outcome).isEqualTo(Outcome.AGGREGATED);
        assertThat(completedAt).isAfterOrEqualTo(expiry);
      }
    }
    DayChecks.assertComputedOnceAndExact(db, DAY, DAY);
    assertKilledAttemptClosed(db);
  }

  @Test
  void givenThePostgresHolderIsKilled_thenRunsSkipWhileItLives_andTheNextRunProceedsAtOnce()
      throws Exception {
    TestDatabase db = dayWithData();
    LeaseBackend.Setup leases = LeaseBackend.POSTGRES.setUp(db, Duration.ofMinutes(16));
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "crash-pg");
        PausedHolder holder = holderPausedMidTransaction(leases, pause);
        Harness next = new Harness(db, db.sessions(), Clock.systemUTC(), leases.providers())) {
      assertThat(next.run(DAY).outcome())
          .as("a contender while the holder lives")
          .isEqualTo(Outcome.SKIPPED_LOCKED);
      assertThat(holder.isAlive()).isTrue();

      holder.kill();
      // The server notices the vanished client (client_connection_check_interval) even while
      // its backend waits, ends the session and with it the advisory lock: no expiry to wait for.
      awaitSessionGone(db, pause.applicationName(), Duration.ofSeconds(15));

      assertThat(next.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
    }
    DayChecks.assertComputedOnceAndExact(db, DAY, DAY);
    assertKilledAttemptClosed(db);
  }

  /** The killed holder's attempt was recorded running; the next holder closed it as failed. */
  private static void assertKilledAttemptClosed(TestDatabase db) {
    assertThat(
            db.query(
                "SELECT attempt, outcome, error_class FROM {schema}.job_runs"
                    + " WHERE outcome <> 'skipped-locked' ORDER BY id"))
        .extracting(r -> r.get("attempt") + " " + r.get("outcome") + " " + r.get("error_class"))
        .containsExactly("1 failed AttemptAbandoned", "2 aggregated null");
  }

  private static TestDatabase dayWithData() {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generateDay(DAY, 20_000, 3);
    }
    return db;
  }

  /**
   * Starts a worker process, lets it take the lease and stop mid-transaction, then SIGKILLs it;
   * returns when the run was sent, before which the lease cannot have been taken.
   */
  private static void killHolderMidTransaction(LeaseBackend.Setup leases, PausePoint pause)
      throws InterruptedException {
    try (PausedHolder holder = holderPausedMidTransaction(leases, pause)) {
      holder.kill();
    }
  }

  /** The expiry stored in the DynamoDB lease item of {@code key}. */
  private static Instant storedExpiry(String table, String key) {
    String millis =
        MotoFixture.dynamo()
            .getItem(g -> g.tableName(table).key(Map.of("lock_key", AttributeValue.fromS(key))))
            .item()
            .get("expires_at")
            .n();
    return Instant.ofEpochMilli(Long.parseLong(millis));
  }

  /** A worker process that took the day's lease and stopped inside its aggregation transaction. */
  private static PausedHolder holderPausedMidTransaction(
      LeaseBackend.Setup leases, PausePoint pause) {
    WorkerProcesses process = new WorkerProcesses(1, leases.environment(pause.url()));
    process.send(0, "run " + DAY);
    pause.awaitPaused(Duration.ofSeconds(30));
    return new PausedHolder(process);
  }

  /** The holder's process. */
  private record PausedHolder(WorkerProcesses process) implements AutoCloseable {
    boolean isAlive() {
      return process.process(0).isAlive();
    }

    void kill() throws InterruptedException {
      Process p = process.process(0);
      p.destroyForcibly(); // SIGKILL: no finally block, no lease release
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(137);
    }

    @Override
    public void close() {
      process.close();
    }
  }

  private static void awaitSessionGone(TestDatabase db, String applicationName, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (db.count(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", applicationName)
        > 0) {
      assertThat(Instant.now()).as("the killed holder's session is still there").isBefore(deadline);
      Thread.sleep(100);
    }
  }
}
