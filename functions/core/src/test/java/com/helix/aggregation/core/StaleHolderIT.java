package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.dynamodb.DynamoDbLeaseProvider;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.LeaseBackend;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PausePoint;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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

  /**
   * A stale writer of an existing day whose snapshot predates another writer's result: A read the
   * changed day (records 1-3) and stopped after its snapshot; B, later, replaced it with records
   * 1-4. Under READ COMMITTED, A's next statement would see B's rows and write over them; without
   * the header row lock, nothing but chance would stop it. A must end fenced, and B's figures
   * stand.
   */
  @Test
  void givenAHolderPausedAfterItsSnapshotOfAChangedDay_thenItIsFenced_andTheNewerFiguresStand()
      throws Exception {
    aggregateOnce();
    db.insertRaw(3, "2025-09-09T10:00:00Z", "acct-1", "gpt-large", 300, 30, "3.30");
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "stale-a");
        Harness a = holder(pause);
        Harness b = holderAfterExpiry()) {
      CompletableFuture<AttemptReport> aRun = CompletableFuture.supplyAsync(() -> a.run(DAY));
      pause.awaitPaused(Duration.ofSeconds(30));
      db.insertRaw(4, "2025-09-09T11:00:00Z", "acct-3", "embed-1", 400, 0, "0.04");

      AttemptReport bRun = b.run(DAY);
      pause.release();
      AttemptReport aResult = aRun.get(30, TimeUnit.SECONDS);

      assertThat(bRun.outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(aResult.outcome()).isEqualTo(Outcome.FENCED);
      DailyAggregate stands = b.store.find(DAY).orElseThrow();
      assertThat(stands.revision()).isEqualTo(2);
      assertThat(stands.totals().recordCount()).isEqualTo(4);
      assertThat(stands.totals().cost()).isEqualByComparingTo("4.64");
      assertThat(stands.leaseToken()).isEqualTo(bRun.start().leaseToken());
      assertThat(stands.isVerified()).isTrue();
    }
    assertThat(db.query("SELECT revision, record_count FROM {schema}.daily_aggregate_history"))
        .as("only B replaced the day")
        .containsExactly(Map.of("revision", 1, "record_count", 2L));
    assertThat(db.query("SELECT outcome FROM {schema}.job_runs ORDER BY id"))
        .extracting(r -> r.get("outcome"))
        .containsExactly("aggregated", "fenced", "aggregated");
    DayChecks.assertExact(db, DAY, DAY);
  }

  /**
   * A stale writer whose recomputation equals the stored content: the day's aggregate was written
   * but never verified (its writer died before verifying). A read it and stopped after its
   * snapshot; B found the same content and verified it. Only the header row lock tells A that B
   * committed after its snapshot: without it A would find "same content" and verify B's day as its
   * own.
   */
  @Test
  void givenAHolderPausedAfterItsSnapshotOfAnUnverifiedDay_whenAnotherVerifiesIt_thenItIsFenced()
      throws Exception {
    aggregateOnce();
    db.execute(
        "UPDATE {schema}.daily_aggregates SET verification = 'unverified', verified_at = NULL");
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "stale-a");
        Harness a = holder(pause);
        Harness b = holderAfterExpiry()) {
      CompletableFuture<AttemptReport> aRun = CompletableFuture.supplyAsync(() -> a.run(DAY));
      pause.awaitPaused(Duration.ofSeconds(30));

      AttemptReport bRun = b.run(DAY);
      DailyAggregate verifiedByB = b.store.find(DAY).orElseThrow();
      pause.release();
      AttemptReport aResult = aRun.get(30, TimeUnit.SECONDS);

      assertThat(bRun.outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(verifiedByB.isVerified()).isTrue();
      assertThat(aResult.outcome()).isEqualTo(Outcome.FENCED);
      assertThat(aResult.verification()).as("A verified nothing").isEmpty();
      assertThat(b.store.find(DAY).orElseThrow())
          .as("the day as B left it: same revision, B's verification")
          .isEqualTo(verifiedByB);
      assertThat(verifiedByB.revision()).isEqualTo(1);
    }
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregate_history")).isZero();
    assertThat(db.query("SELECT outcome FROM {schema}.job_runs ORDER BY id"))
        .extracting(r -> r.get("outcome"))
        .containsExactly("aggregated", "fenced", "aggregated");
    DayChecks.assertExact(db, DAY, DAY);
  }

  /** The day's first aggregate (records 1 and 2), verified. */
  private void aggregateOnce() {
    try (Harness first = holder(null)) {
      assertThat(first.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
    }
  }

  /**
   * A worker whose lease clock is past the expiry of every lease taken now, as B's is once a paused
   * holder's lease has run out (without the test sleeping through it).
   */
  private Harness holderAfterExpiry() {
    Clock later = Clock.offset(Clock.systemUTC(), SHORT_LEASE.plusSeconds(1));
    DynamoDbClient dynamo = MotoFixture.dynamo();
    return new Harness(
        db,
        db.sessions(),
        Clock.systemUTC(),
        session -> new DynamoDbLeaseProvider(dynamo, leases.table(), SHORT_LEASE, later));
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
