package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The use case against real PostgreSQL adapters: attempts, retry state, partial days. */
class AggregateDayServiceIT {
  private static final LocalDate DAY = LocalDate.of(2026, 4, 2);

  private TestDatabase db;
  private Harness worker;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    worker = new Harness(db);
    db.insertRaw(1, "2026-04-02T09:00:00Z", "acct-1", "gpt-large", 10, 1, "0.10");
  }

  @AfterEach
  void tearDown() {
    worker.close();
  }

  @Test
  void givenAnAttempt_thenAJobRunRecordsItInFull() {
    AttemptReport report =
        worker.service.aggregate(DAY, Trigger.SCHEDULE, RunOptions.DEFAULT, "req-9");

    Map<String, Object> run = db.query("SELECT * FROM {schema}.job_runs").get(0);
    assertThat(run)
        .containsEntry("job", "daily-aggregate")
        .containsEntry("trigger", "schedule")
        .containsEntry("outcome", "aggregated")
        .containsEntry("attempt", 1)
        .containsEntry("lease_token", report.start().leaseToken())
        .containsEntry("record_count", 1L)
        .containsEntry("request_id", "req-9")
        .containsEntry("revision", 1)
        .containsEntry("verification", "verified")
        .containsEntry("source_hash", report.aggregate().orElseThrow().sourceHash().value());
    assertThat(run.get("finished_at")).isNotNull();
    assertThat((Long) run.get("duration_ms")).isNotNegative();
    assertThat(db.value("SELECT last_success_at IS NOT NULL FROM {schema}.day_states"))
        .isEqualTo(true);
  }

  @Test
  void givenADayThatAlwaysFails_thenPermanentlyFailedAfterThreeAttempts_andASuccessResetsIt() {
    // bad data: input tokens that overflow bigint when summed
    db.insertRaw(2, "2026-04-02T10:00:00Z", "acct-1", "gpt-large", Long.MAX_VALUE, 1, "0");

    List<Outcome> outcomes =
        List.of(worker.run(DAY).outcome(), worker.run(DAY).outcome(), worker.run(DAY).outcome());

    assertThat(outcomes)
        .containsExactly(Outcome.FAILED, Outcome.FAILED, Outcome.PERMANENTLY_FAILED);
    assertThat(db.query("SELECT attempt, outcome FROM {schema}.job_runs ORDER BY id"))
        .extracting(r -> r.get("attempt") + " " + r.get("outcome"))
        .containsExactly("1 failed", "2 failed", "3 permanently-failed");
    assertThat(
            db.query("SELECT error_message FROM {schema}.job_runs")
                .get(0)
                .get("error_message")
                .toString())
        .contains("out of range");
    DayState state = worker.attempts.dayState(DAY);
    assertThat(state.isPermanentlyFailed()).isTrue();
    assertThat(state.lastErrorClass()).isEqualTo("DatabaseException");
    assertThat(worker.store.find(DAY)).isEmpty();

    db.execute("DELETE FROM {raw} WHERE id = 2");
    assertThat(worker.attempts.resetFailures(DAY, DAY)).isEqualTo(1);
    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(worker.attempts.dayState(DAY).consecutiveFailures()).isZero();
  }

  @Test
  void givenTheDaysLeaseHeldElsewhere_thenSkippedLockedAndNothingComputed() {
    try (Harness other = new Harness(db)) {
      Lease held = other.leases.tryAcquire(AggregateDayService.leaseKey(DAY)).orElseThrow();

      AttemptReport report = worker.run(DAY);

      assertThat(report.outcome()).isEqualTo(Outcome.SKIPPED_LOCKED);
      assertThat(worker.store.find(DAY)).isEmpty();
      assertThat(db.value("SELECT outcome FROM {schema}.job_runs")).isEqualTo("skipped-locked");
      other.leases.release(held);
    }
    assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
  }

  @Test
  void givenTheSessionIsKilledMidRun_thenTheTransientErrorIsRetriedWithinTheAttempt() {
    worker.run(DAY); // opens the worker's session
    long pid =
        worker.database.autocommit(
            c -> {
              try (var rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getLong(1);
              }
            });
    db.terminateBackend(pid);
    db.insertRaw(2, "2026-04-02T10:00:00Z", "acct-1", "gpt-large", 1, 1, "1");

    AttemptReport report = worker.run(DAY);

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(report.start().attempt()).isEqualTo(1);
    assertThat(worker.store.find(DAY).orElseThrow().totals().recordCount()).isEqualTo(2);
  }
}
