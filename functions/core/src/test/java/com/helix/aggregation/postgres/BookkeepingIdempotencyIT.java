package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AggregationSettings;
import com.helix.aggregation.core.AttemptLog;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.AttemptStart;
import com.helix.aggregation.core.DayState;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RetryPolicy;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.SetupCheck;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.TransientRetry;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.testing.LossyProxy;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, defect 8: bookkeeping is retried on transient errors, and a retry after a commit whose
 * acknowledgement was lost must change nothing twice. A TCP proxy in front of PostgreSQL loses the
 * answer to the COMMIT of every bookkeeping transaction: it committed, the client never heard.
 */
class BookkeepingIdempotencyIT {
  private static final LocalDate DAY = LocalDate.of(2025, 10, 10);

  private TestDatabase db;
  private LossyProxy proxy;
  private Database session;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    URI server = URI.create(db.url().substring("jdbc:".length()));
    proxy = new LossyProxy(server.getPort());
    String proxied =
        db.url().replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port())
            + (db.url().contains("?") ? "&" : "?")
            + LossyProxy.EVERY_COMMIT_IN_TEXT;
    session =
        new Database(
            db.sessions(proxied, "Asia/Kolkata"), TestDatabase.STATEMENT_TIMEOUT, new StopSignal());
  }

  @AfterEach
  void tearDown() {
    session.close();
    proxy.close();
  }

  @Test
  void givenEveryBookkeepingCommitAcknowledgementLost_thenAFailingDayIsCountedOncePerAttempt() {
    // input tokens that overflow bigint when summed: the day fails on every attempt
    db.insertRaw(1, "2025-10-10T01:00:00Z", "acct-1", "gpt-large", Long.MAX_VALUE, 1, "1");
    db.insertRaw(2, "2025-10-10T02:00:00Z", "acct-1", "gpt-large", Long.MAX_VALUE, 1, "1");
    AggregateDayService service = serviceLosingEveryBookkeepingAnswer();

    List<AttemptReport> reports = List.of(run(service), run(service), run(service));

    assertThat(reports)
        .extracting(r -> r.start().attempt() + " " + r.outcome().value())
        .containsExactly("1 failed", "2 failed", "3 permanently-failed");
    assertThat(proxy.droppedCount()).as("two lost answers per attempt").isEqualTo(6);
    assertThat(db.query("SELECT attempt, outcome FROM {schema}.job_runs ORDER BY id"))
        .extracting(r -> r.get("attempt") + " " + r.get("outcome"))
        .containsExactly("1 failed", "2 failed", "3 permanently-failed");
    assertThat(db.value("SELECT consecutive_failures FROM {schema}.day_states")).isEqualTo(3);
  }

  @Test
  void givenTheAnswerToASkippedAttemptsRecordLost_thenItIsRecordedOnce() {
    db.insertRaw(1, "2025-10-10T01:00:00Z", "acct-1", "gpt-large", 10, 1, "1");
    try (Database other = db.open()) {
      Lease held =
          new PostgresLeaseProvider(other, db.schema(), Duration.ofMinutes(16), Clock.systemUTC())
              .tryAcquire(AggregateDayService.leaseKey(DAY))
              .orElseThrow();
      AggregateDayService service = serviceLosingEveryBookkeepingAnswer();

      AttemptReport report = run(service);

      assertThat(report.outcome()).isEqualTo(Outcome.SKIPPED_LOCKED);
      assertThat(proxy.droppedCount()).isEqualTo(1);
      assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isEqualTo(1);
      assertThat(held.token()).isPositive();
    }
  }

  @Test
  void givenTheAnswersLostOnASucceedingDay_thenOneRunAndOneSuccess() {
    db.insertRaw(1, "2025-10-10T01:00:00Z", "acct-1", "gpt-large", 10, 1, "1.5");
    AggregateDayService service = serviceLosingEveryBookkeepingAnswer();

    AttemptReport report = run(service);

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(db.query("SELECT attempt, outcome FROM {schema}.job_runs"))
        .extracting(r -> r.get("attempt") + " " + r.get("outcome"))
        .containsExactly("1 aggregated");
    assertThat(db.value("SELECT consecutive_failures FROM {schema}.day_states")).isEqualTo(0);
    assertThat(db.value("SELECT last_success_at IS NOT NULL FROM {schema}.day_states"))
        .isEqualTo(true);
  }

  private static AttemptReport run(AggregateDayService service) {
    return service.aggregate(DAY, Trigger.BACKFILL, RunOptions.DEFAULT, "lossy");
  }

  /** The real adapters on the proxied session; every bookkeeping commit's answer is lost. */
  private AggregateDayService serviceLosingEveryBookkeepingAnswer() {
    StopSignal stop = new StopSignal();
    RetryPolicy policy = RetryPolicy.defaults(3, Duration.ofSeconds(60));
    PostgresLeaseProvider leases =
        new PostgresLeaseProvider(session, db.schema(), Duration.ofMinutes(16), Clock.systemUTC());
    AttemptLog real = new PostgresAttemptLog(session, db.schema());
    Set<Object> armed = new HashSet<>();
    AttemptLog lossy =
        new AttemptLog() {
          @Override
          public DayState dayState(LocalDate day) {
            return real.dayState(day);
          }

          @Override
          public Map<LocalDate, DayState> dayStates(LocalDate from, LocalDate to) {
            return real.dayStates(from, to);
          }

          @Override
          public Optional<String> requestThatFailedForGood(LocalDate day) {
            return real.requestThatFailedForGood(day);
          }

          @Override
          public Begun begin(AttemptStart start, Instant now, RetryPolicy p) {
            if (armed.add("begin " + start.key())) { // lose the first answer, not the retries'
              proxy.dropResponseTo(LossyProxy.POSTGRES_COMMIT);
            }
            return real.begin(start, now, p);
          }

          @Override
          public AttemptReport finish(
              long runId,
              UnaryOperator<DayState> change,
              Function<DayState, AttemptReport> report,
              RetryPolicy p) {
            if (armed.add("finish " + runId)) {
              proxy.dropResponseTo(LossyProxy.POSTGRES_COMMIT);
            }
            return real.finish(runId, change, report, p);
          }

          @Override
          public long recordEnded(AttemptReport report) {
            if (armed.add("ended " + report.start().key())) {
              proxy.dropResponseTo(LossyProxy.POSTGRES_COMMIT);
            }
            return real.recordEnded(report);
          }

          @Override
          public int resetFailures(LocalDate from, LocalDate to) {
            return real.resetFailures(from, to);
          }
        };
    return new AggregateDayService(
        new PostgresAggregateStore(session, db.schema(), db.rawTable()),
        lossy,
        leases,
        Metrics.NONE,
        JobLog.NONE,
        Clock.systemUTC(),
        new AggregationSettings(policy, BigDecimal.ZERO, 35),
        new TransientRetry(policy, stop, stop, new Random(), Clock.systemUTC()),
        stop,
        SetupCheck.NONE);
  }
}
