package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
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
  private final AggregateDayService service =
      new AggregateDayService(
          store,
          attempts,
          leases,
          Metrics.NONE,
          JobLog.NONE,
          CLOCK,
          new AggregationSettings(RetryPolicy.defaults(3), BigDecimal.ZERO, 35),
          new TransientRetry(RetryPolicy.defaults(3), d -> {}, new Random(1)));

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

  private AttemptReport run() {
    return service.aggregate(DAY, Trigger.SCHEDULE, RunOptions.DEFAULT, "r");
  }

  private static Failure failure() {
    return new Failure("X", "boom", "X: boom");
  }

  private static WriteResult write(WriteResult.Change change) {
    return new WriteResult(change, storedAggregate(), Optional.of(storedAggregate()));
  }

  private static VerificationReport verification(boolean superseded) {
    Totals t = new Totals(1, BigDecimal.ONE, 1, 1);
    return new VerificationReport(DAY, 1, t, t, t, BigDecimal.ZERO, superseded);
  }

  private static DailyAggregate storedAggregate() {
    return new DailyAggregate(
        DAY,
        new Totals(1, BigDecimal.ONE, 1, 1),
        SourceHash.ofSum(BigInteger.ONE),
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
    public SourceHash currentSourceHash(LocalDate day) {
      return SourceHash.ofSum(BigInteger.ONE);
    }
  }

  /** One day's retry state and job runs in memory. */
  private static final class MemoryAttemptLog implements AttemptLog {
    DayState state = DayState.fresh(DAY);
    int stateUpdates;
    int abandoned;
    final List<AttemptStart> started = new ArrayList<>();

    @Override
    public DayState dayState(LocalDate day) {
      return state;
    }

    @Override
    public Map<LocalDate, DayState> dayStates(LocalDate from, LocalDate to) {
      return Map.of(DAY, state);
    }

    @Override
    public DayState updateDayState(LocalDate day, UnaryOperator<DayState> change) {
      stateUpdates++;
      state = change.apply(state);
      return state;
    }

    @Override
    public int closeAbandoned(String job, LocalDate day, Instant now) {
      int closed = abandoned;
      abandoned = 0;
      return closed;
    }

    @Override
    public long started(AttemptStart start) {
      started.add(start);
      return started.size();
    }

    @Override
    public void finished(AttemptReport report) {}

    @Override
    public long recordEnded(AttemptReport report) {
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
    private final Map<String, Lease> held = new HashMap<>();
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
      return lease.equals(held.get(lease.key()));
    }

    @Override
    public boolean release(Lease lease) {
      return held.remove(lease.key(), lease);
    }

    @Override
    public String describe() {
      return "memory";
    }
  }
}
