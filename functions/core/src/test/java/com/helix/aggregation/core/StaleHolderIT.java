package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.LeaseBackend;
import com.helix.aggregation.testing.PausePoint;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Holder A pauses past its DynamoDB lease; B takes the lease and writes newer figures; A resumes.
 * The lease cannot stop A (it has expired); the aggregation transaction does (SPEC §3, §4).
 */
class StaleHolderIT {
  private static final LocalDate DAY = LocalDate.of(2025, 9, 9);
  private static final Duration SHORT_LEASE = Duration.ofSeconds(3);

  private TestDatabase db;
  private LeaseBackend.Setup leases;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    leases = LeaseBackend.DYNAMODB.setUp(db, SHORT_LEASE);
    db.insertRaw(1, "2025-09-09T08:00:00Z", "acct-1", "gpt-large", 100, 10, "1.10");
    db.insertRaw(2, "2025-09-09T09:00:00Z", "acct-2", "gpt-small", 200, 20, "0.20");
  }

  @Test
  void givenAHolderPausedInsideItsTransactionPastItsLease_thenItIsFenced_andTheNewerFiguresStand()
      throws Exception {
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "stale-a");
        Harness a = holder(pause);
        Harness b = holder(null)) {
      CompletableFuture<AttemptReport> aRun = CompletableFuture.supplyAsync(() -> a.run(DAY));
      pause.awaitPaused(Duration.ofSeconds(30));
      Thread.sleep(SHORT_LEASE.plusMillis(500).toMillis()); // A's lease expires while it waits
      db.insertRaw(3, "2025-09-09T10:00:00Z", "acct-1", "gpt-large", 300, 30, "3.30");

      AttemptReport bRun = b.run(DAY);
      pause.release();
      AttemptReport aResult = aRun.get(30, TimeUnit.SECONDS);

      assertThat(bRun.outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(bRun.start().leaseToken()).isGreaterThan(aResult.start().leaseToken());
      assertThat(aResult.outcome()).isEqualTo(Outcome.FENCED);
      var stands = b.store.find(DAY).orElseThrow();
      assertThat(stands.totals().recordCount()).isEqualTo(3);
      assertThat(stands.totals().cost()).isEqualByComparingTo("4.60");
      assertThat(stands.leaseToken()).isEqualTo(bRun.start().leaseToken());
      assertThat(stands.isVerified()).isTrue();
      // A's attempt was recorded first (it started first), B's second
      assertThat(db.query("SELECT outcome FROM {schema}.job_runs ORDER BY id"))
          .extracting(r -> r.get("outcome"))
          .containsExactly("fenced", "aggregated");
    }
    DayChecks.assertComputedOnceAndExact(db, DAY, DAY);
  }

  @Test
  void givenAHolderPausedBeforeItsTransactionBegan_thenItSeesTheNewerFigures_andEndsUnchanged()
      throws Exception {
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.BEFORE_TRANSACTION, "stale-a");
        Harness a = holder(pause);
        Harness b = holder(null)) {
      CompletableFuture<AttemptReport> aRun = CompletableFuture.supplyAsync(() -> a.run(DAY));
      pause.awaitPaused(Duration.ofSeconds(30));
      Thread.sleep(SHORT_LEASE.plusMillis(500).toMillis());
      db.insertRaw(3, "2025-09-09T10:00:00Z", "acct-1", "gpt-large", 300, 30, "3.30");

      AttemptReport bRun = b.run(DAY);
      pause.release();
      AttemptReport aResult = aRun.get(30, TimeUnit.SECONDS);

      assertThat(bRun.outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(aResult.outcome()).isEqualTo(Outcome.UNCHANGED);
      assertThat(b.store.find(DAY).orElseThrow().totals().cost()).isEqualByComparingTo("4.60");
      assertThat(b.store.find(DAY).orElseThrow().leaseToken()).isEqualTo(bRun.start().leaseToken());
    }
    DayChecks.assertComputedOnceAndExact(db, DAY, DAY);
  }

  /** A worker on the DynamoDB lease; its sessions stop at the pause point if one is given. */
  private Harness holder(PausePoint pause) {
    var sessions =
        pause == null
            ? db.sessions()
            : db.sessions(pause.url(), System.getProperty("helix.test.sessionZone", "UTC"));
    return new Harness(db, sessions, Clock.systemUTC(), leases.providers());
  }
}
