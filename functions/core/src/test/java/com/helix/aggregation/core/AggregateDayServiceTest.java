package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.testing.ManualClock;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The attempt bookkeeping of the use case, with scripted in-memory ports: outcomes the real
 * adapters produce only under rare timing (a superseded verification, a transient error after a
 * committed write, a lease taken meanwhile). The adapters themselves are tested against real
 * PostgreSQL and moto.
 */
class AggregateDayServiceTest {
  private static final LocalDate DAY = LocalDate.of(2026, 5, 5);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T00:05:00Z"), ZoneOffset.UTC);

  private final ScriptedStore store = new ScriptedStore();
  private final MemoryAttemptLog attempts = new MemoryAttemptLog();
  private final MemoryLeases leases = new MemoryLeases();
  private final StopSignal stop = new StopSignal();
  private final AggregateDayService service =
      new AggregateDayService(
          store,
          attempts,
          leases,
          Metrics.NONE,
          JobLog.NONE,
          CLOCK,
          new AggregationSettings(RetryPolicy.defaults(3), BigDecimal.ZERO, 35),
          new TransientRetry(RetryPolicy.defaults(3), stop, d -> {}, new Random(1), CLOCK),
          stop,
          SetupCheck.NONE);

  @Test
  void givenAVerificationSupersededByANewerWriter_thenNotAFailure() {
    store.writes.add(() -> write(WriteResult.Change.CREATED));
    store.verifications.add(() -> verification(true));

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(report.failure()).isEmpty();
    assertThat(attempts.state.consecutiveFailures()).isZero();
  }

  @Test
  void givenATransientErrorAfterACommittedReplace_thenTheRetryKeepsWhatTheWriteDid() {
    store.writes.add(() -> write(WriteResult.Change.REPLACED));
    store.verifications.add(
        () -> {
          throw new TransientFailureException("connection reset", null);
        });
    store.writes.add(() -> write(WriteResult.Change.SAME_CONTENT_UNVERIFIED));
    store.verifications.add(() -> verification(false));

    AttemptReport report =
        service.aggregate(LocalDate.of(2025, 1, 1), Trigger.BACKFILL, RunOptions.DEFAULT, "r");

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(report.closedDayChanged()).as("a replaced closed day is still reported").isTrue();
    assertThat(report.verification().orElseThrow().passed()).isTrue();
  }

  @Test
  void givenTheLeaseTakenByAnotherRunAfterOurCommit_thenOurWriteStillCounts() {
    store.writes.add(() -> write(WriteResult.Change.CREATED));
    store.verifications.add(
        () -> {
          leases.heldByOther = true;
          throw new TransientFailureException("connection reset", null);
        });

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(attempts.state.lastSuccessAt()).isNotNull();
  }

  @Test
  void givenALeaseHeldElsewhere_thenSkipped_andTheRetryStateIsNotTouched() {
    attempts.state =
        DayState.fresh(DAY).afterFailure(CLOCK.instant(), failure(), RetryPolicy.defaults(3));
    DayState before = attempts.state;
    leases.heldByOther = true;

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.SKIPPED_LOCKED);
    assertThat(report.start().attempt()).isEqualTo(2);
    assertThat(attempts.state).isSameAs(before);
    assertThat(attempts.stateUpdates).isZero();
  }

  @Test
  void givenAFencedWrite_thenTheRetryStateIsNotTouched() {
    store.writes.add(
        () -> {
          throw new FencedException("newer writer", null);
        });

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.FENCED);
    assertThat(attempts.stateUpdates).isZero();
  }

  @Test
  void givenAttemptsThatNeverFinished_thenTheyAreClosedAndCountedBeforeThisOne() {
    attempts.abandoned = 2;
    store.writes.add(
        () -> {
          throw new IllegalStateException("bad data");
        });

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.PERMANENTLY_FAILED);
    assertThat(report.start().attempt()).isEqualTo(3);
    assertThat(attempts.started.get(0).attempt()).isEqualTo(3);
    assertThat(attempts.state.isPermanentlyFailed()).isTrue();
  }

  @Test
  void givenAnErrorOfTheEnvironment_thenTheAttemptFailsWithoutChargingTheDay_andEndsTheRun() {
    attempts.state =
        DayState.fresh(DAY).afterFailure(CLOCK.instant(), failure(), RetryPolicy.defaults(3));
    store.writes.add(
        () -> {
          throw new EnvironmentException("permission denied for table usage_records");
        });

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.countsAgainstDay()).isFalse();
    assertThat(report.endsRun()).isTrue();
    assertThat(report.start().attempt()).as("numbered as the day's next attempt").isEqualTo(2);
    assertThat(attempts.state.consecutiveFailures()).isEqualTo(1);
    assertThat(attempts.ended.get(0).failure().orElseThrow().countsAgainstDay()).isFalse();
  }

  @Test
  void givenTransientErrorsOutlastingTheBudget_thenTheEnvironmentIsUnavailable_notTheDay() {
    ManualClock clock = ManualClock.at("2026-11-28T00:05:00Z");
    List<Duration> waits = new ArrayList<>();
    AggregateDayService withBudget =
        new AggregateDayService(
            store,
            attempts,
            leases,
            Metrics.NONE,
            JobLog.NONE,
            clock,
            new AggregationSettings(RetryPolicy.defaults(3), BigDecimal.ZERO, 35),
            new TransientRetry(
                RetryPolicy.defaults(3, Duration.ofSeconds(30)),
                stop,
                d -> {
                  waits.add(d);
                  clock.advance(d);
                },
                new Random(1),
                clock),
            stop,
            SetupCheck.NONE);
    for (int i = 0; i < 1000; i++) {
      store.writes.add(
          () -> {
            throw new TransientFailureException("connection refused", null);
          });
    }

    AttemptReport report = withBudget.aggregate(DAY, Trigger.SCHEDULE, RunOptions.DEFAULT, "r");

    assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.failure().orElseThrow().errorClass())
        .isEqualTo("EnvironmentUnavailableException");
    assertThat(report.failure().orElseThrow().message()).contains("connection refused");
    assertThat(report.countsAgainstDay()).isFalse();
    assertThat(attempts.state.consecutiveFailures()).isZero();
    Duration waited = waits.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(waited).isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(waited).isGreaterThan(Duration.ofSeconds(20));
  }

  @Test
  void givenAStopRequestDuringTheAttempt_thenInterrupted_notAFailure_andTheLeaseIsReleased() {
    store.writes.add(
        () -> {
          stop.request("SIGTERM");
          throw new RunInterruptedException("SIGTERM");
        });

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.INTERRUPTED);
    assertThat(report.endsRun()).isTrue();
    assertThat(report.failure()).isEmpty();
    assertThat(attempts.stateUpdates).isZero();
    assertThat(leases.held).as("released").isEmpty();
    assertThat(attempts.ended)
        .extracting(AttemptReport::outcome)
        .containsExactly(Outcome.INTERRUPTED);
  }

  @Test
  void givenAStopRequestBeforeTheAttempt_thenNothingIsRecorded() {
    stop.request("SIGINT");

    assertThatThrownBy(this::run).isInstanceOf(RunInterruptedException.class);
    assertThat(attempts.started).isEmpty();
    assertThat(attempts.ended).isEmpty();
  }

  @Test
  void givenAMismatchBecauseTheRawDataMoved_thenUnverifiedButNotAFailure() {
    store.writes.add(() -> write(WriteResult.Change.CREATED));
    Totals stored = new Totals(1, BigDecimal.ONE, 1, 1);
    RawTotals raw = new RawTotals(2, BigDecimal.TEN);
    store.verifications.add(
        () -> new VerificationReport(DAY, 1, stored, raw, stored, BigDecimal.ZERO, false, true));

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.AGGREGATED);
    assertThat(report.failure()).isEmpty();
    assertThat(report.rawMovedBeforeVerification()).isTrue();
    assertThat(attempts.state.consecutiveFailures()).isZero();
  }

  @Test
  void givenAMismatchOverRawDataThatDidNotMove_thenAFailureOfTheDay() {
    store.writes.add(() -> write(WriteResult.Change.CREATED));
    Totals stored = new Totals(1, BigDecimal.ONE, 1, 1);
    RawTotals raw = new RawTotals(2, BigDecimal.TEN);
    store.verifications.add(
        () -> new VerificationReport(DAY, 1, stored, raw, stored, BigDecimal.ZERO, false, false));

    AttemptReport report = run();

    assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.failure().orElseThrow().errorClass())
        .isEqualTo(Failure.VERIFICATION_MISMATCH);
    assertThat(report.countsAgainstDay()).isTrue();
    assertThat(attempts.state.consecutiveFailures()).isEqualTo(1);
  }

  private AttemptReport run() {
    return service.aggregate(DAY, Trigger.SCHEDULE, RunOptions.DEFAULT, "r");
  }

  private static Failure failure() {
    return new Failure("X", "boom", "X: boom", true);
  }

  private static WriteResult write(WriteResult.Change change) {
    return new WriteResult(change, storedAggregate(), Optional.of(storedAggregate()));
  }

  private static VerificationReport verification(boolean superseded) {
    Totals t = new Totals(1, BigDecimal.ONE, 1, 1);
    return new VerificationReport(
        DAY, 1, t, RawTotals.of(t), t, BigDecimal.ZERO, superseded, false);
  }

  private static DailyAggregate storedAggregate() {
    return new DailyAggregate(
        DAY,
        new Totals(1, BigDecimal.ONE, 1, 1),
        SourceHash.ofSum(SourceHash.Algorithm.H2, BigInteger.ONE),
        true,
        Verification.VERIFIED,
        1L,
        1,
        CLOCK.instant(),
        CLOCK.instant());
  }

  /** A store whose transactions and verifications answer from a script, in order. */
  private static final class ScriptedStore implements AggregateStore {
    final Deque<Supplier<WriteResult>> writes = new ArrayDeque<>();
    final Deque<Supplier<VerificationReport>> verifications = new ArrayDeque<>();

    @Override
    public WriteResult aggregate(LocalDate day, WriteRequest request) {
      return writes.removeFirst().get();
    }

    @Override
    public VerificationReport verify(LocalDate day, BigDecimal costTolerance) {
      return verifications.removeFirst().get();
    }

    @Override
    public Optional<DailyAggregate> find(LocalDate day) {
      return Optional.of(storedAggregate());
    }

    @Override
    public List<DailyAggregate> findBetween(LocalDate from, LocalDate to) {
      return List.of();
    }

    @Override
    public Optional<LocalDate> newestVerifiedDay() {
      return Optional.of(DAY);
    }

    @Override
    public SourceHash currentSourceHash(LocalDate day, SourceHash.Algorithm algorithm) {
      return SourceHash.ofSum(SourceHash.Algorithm.H2, BigInteger.ONE);
    }
  }

  /** One day's retry state and job runs in memory. */
  private static final class MemoryAttemptLog implements AttemptLog {
    DayState state = DayState.fresh(DAY);
    int stateUpdates;
    int abandoned;
    final List<AttemptStart> started = new ArrayList<>();
    final List<AttemptReport> ended = new ArrayList<>();

    @Override
    public DayState dayState(LocalDate day) {
      return state;
    }

    @Override
    public Map<LocalDate, DayState> dayStates(LocalDate from, LocalDate to) {
      return Map.of(DAY, state);
    }

    @Override
    public Optional<String> requestThatFailedForGood(LocalDate day) {
      return ended.stream()
          .filter(r -> state.isPermanentlyFailed() && r.outcome() == Outcome.PERMANENTLY_FAILED)
          .reduce((a, b) -> b)
          .map(r -> r.start().requestId());
    }

    @Override
    public Begun begin(AttemptStart start, Instant now, RetryPolicy policy) {
      if (abandoned > 0) {
        state = state.afterFailures(abandoned, now, Failure.abandoned(abandoned), policy);
        abandoned = 0;
        stateUpdates++;
      }
      started.add(start.numbered(state.nextAttemptNumber(), start.leaseToken()));
      return new Begun(started.size(), state);
    }

    @Override
    public AttemptReport finish(
        long runId,
        UnaryOperator<DayState> change,
        Function<DayState, AttemptReport> report,
        RetryPolicy policy) {
      DayState before = state;
      DayState changed = change.apply(state);
      if (changed != state) {
        stateUpdates++;
      }
      state = changed;
      AttemptReport recorded = report.apply(before);
      ended.add(recorded);
      return recorded;
    }

    @Override
    public long recordEnded(AttemptReport report) {
      ended.add(report);
      return 99;
    }

    @Override
    public int resetFailures(LocalDate from, LocalDate to) {
      return 0;
    }
  }

  /** Leases in memory; {@code heldByOther} makes every acquisition fail. */
  private static final class MemoryLeases implements LeaseProvider {
    boolean heldByOther;
    final Map<String, Lease> held = new HashMap<>();
    private long tokens;

    @Override
    public Optional<Lease> tryAcquire(String key) {
      if (heldByOther || held.containsKey(key)) {
        return Optional.empty();
      }
      Lease lease = new Lease(key, "owner-" + tokens, ++tokens, CLOCK.instant().plusSeconds(60));
      held.put(key, lease);
      return Optional.of(lease);
    }

    @Override
    public boolean renew(Lease lease) {
      return !heldByOther && lease.equals(held.get(lease.key()));
    }

    @Override
    public boolean release(Lease lease) {
      return held.remove(lease.key(), lease);
    }

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public LeaseStoreId id() {
      return new LeaseStoreId(LeaseStoreId.POSTGRES, "memory");
    }

    @Override
    public void verifyReachable() {}
  }
}
