package com.helix.aggregation.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Use case: aggregate one UTC day, idempotently, under the day's lease, verified after commit, with
 * every attempt recorded (SPEC §3, §4, §6).
 *
 * <p>The lease only saves work: correctness rests on the store's single {@code REPEATABLE READ}
 * transaction, which fences a writer whose snapshot is older than another's committed result.
 *
 * <p>Only the day's own failures count (SPEC §6): an error of the environment (database or lease
 * store unreachable past the transient budget, a wrong raw table, a missing privilege) and a stop
 * request (SIGTERM, Ctrl-C) are recorded, end the run ({@link AttemptReport#endsRun()}), and leave
 * the day's retry state alone; so does a verification mismatch over raw data that moved meanwhile.
 */
public final class AggregateDayService {
  /** The job name in {@code job_runs} and in lease keys. */
  public static final String JOB = "daily-aggregate";

  /**
   * How often an attempt tries to take its day's lease again after losing it with its database
   * session, before it concludes that another run took it over.
   */
  private static final int MAX_RETAKES = 5;

  private final AggregateStore store;
  private final AttemptLog attempts;
  private final LeaseProvider leases;
  private final Metrics metrics;
  private final JobLog log;
  private final Clock clock;
  private final AggregationSettings settings;
  private final TransientRetry retry;
  private final StopSignal stop;
  private final SetupCheck setup;

  public AggregateDayService(
      AggregateStore store,
      AttemptLog attempts,
      LeaseProvider leases,
      Metrics metrics,
      JobLog log,
      Clock clock,
      AggregationSettings settings,
      TransientRetry retry,
      StopSignal stop,
      SetupCheck setup) {
    this.store = store;
    this.attempts = attempts;
    this.leases = leases;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
    this.settings = settings;
    this.retry = retry;
    this.stop = stop;
    this.setup = setup;
  }

  /** The lock key of a day: job + day, e.g. {@code daily-aggregate#2026-11-27}. */
  public static String leaseKey(LocalDate day) {
    return JOB + "#" + day;
  }

  /**
   * Checks that a day may be aggregated: never in the future, and today (UTC) only when asked for,
   * as a partial aggregate.
   *
   * @throws InvalidDayException naming the problem
   */
  public static void checkDay(LocalDate day, RunOptions options, Clock clock) {
    LocalDate today = UtcDay.today(clock);
    if (day.isAfter(today)) {
      throw new InvalidDayException(
          "day " + day + " is in the future (today is " + today + " UTC)");
    }
    if (day.equals(today) && !options.includeToday()) {
      throw new InvalidDayException(
          "day "
              + day
              + " is today (UTC) and has not ended: pass --include-today to store a partial"
              + " aggregate");
    }
  }

  /**
   * A run of one day ({@code helix run}): checks the setup first, so that a broken environment
   * fails the run without charging the day.
   *
   * @throws InvalidDayException when the day may not be aggregated (nothing is recorded)
   * @throws EnvironmentException when the setup is broken (nothing is recorded)
   */
  public AttemptReport runDay(
      LocalDate day, Trigger trigger, RunOptions options, String requestId, Deadline deadline) {
    checkDay(day, options, clock);
    retry.call(
        () -> {
          setup.verify();
          return null;
        },
        deadline);
    return aggregate(day, trigger, options, requestId, deadline);
  }

  /** One attempt without a deadline (command-line runs, tests). */
  public AttemptReport aggregate(
      LocalDate day, Trigger trigger, RunOptions options, String requestId) {
    return aggregate(day, trigger, options, requestId, Deadline.NONE);
  }

  /**
   * Runs one attempt for a day and records it. Failures of the day, of the environment and a stop
   * request are reported in the result, not thrown.
   *
   * @throws InvalidDayException when the day may not be aggregated (nothing is recorded)
   * @throws RunInterruptedException when the run was asked to stop before the attempt began
   * @throws EnvironmentException when even the attempt's record cannot be written (the database is
   *     gone past the transient budget); the attempt was logged
   */
  public AttemptReport aggregate(
      LocalDate day, Trigger trigger, RunOptions options, String requestId, Deadline deadline) {
    checkDay(day, options, clock);
    stop.check();
    Instant startedAt = clock.instant();
    Attempt attempt =
        new Attempt(
            new AttemptStart(
                JOB, day, trigger, 0, null, requestId, startedAt, UUID.randomUUID().toString()),
            options,
            UtcDay.isComplete(day, startedAt));
    try {
      retry.call(attempt::tryOnce, deadline);
    } catch (FencedException e) {
      attempt.fenced = true;
    } catch (RunInterruptedException e) {
      attempt.interrupted = true;
    } catch (RuntimeException e) {
      attempt.failure = Failure.of(e);
    } finally {
      attempt.releaseLease();
    }
    return attempt.finish();
  }

  /** One attempt: its lease, its job run and what it found. */
  private final class Attempt {
    private AttemptStart start;
    private final RunOptions options;
    private final boolean complete;
    private Lease lease;
    private int retakes;
    private Long runId;
    private boolean fenced;
    private boolean interrupted;
    private WriteResult write;
    private VerificationReport verification;
    private Failure failure;
    private UnaryOperator<DayState> change = UnaryOperator.identity();

    Attempt(AttemptStart start, RunOptions options, boolean complete) {
      this.start = start;
      this.options = options;
      this.complete = complete;
    }

    /**
     * Takes (or keeps) the lease, aggregates and verifies; repeated as a whole on transient errors.
     * A retry keeps the lease it holds: after a lost session the PostgreSQL lease is gone and is
     * taken again, while a DynamoDB lease outlives the database's trouble.
     */
    Void tryOnce() {
      boolean lost = false;
      if (lease != null && !leases.renew(lease)) {
        lease = null;
        lost = true;
      }
      if (lease == null) {
        Optional<Lease> taken = leases.tryAcquire(leaseKey(start.day()));
        if (taken.isEmpty() && lost && ++retakes <= MAX_RETAKES) {
          // A session lock lingers for a moment after its session broke: try again shortly.
          throw new TransientFailureException(
              "the day's lease went with a lost database session; taking it again", null);
        }
        if (taken.isEmpty()) {
          return null;
        }
        lease = taken.get();
      }
      long token = lease.token();
      if (runId == null) {
        AttemptLog.Begun begun =
            attempts.begin(start.numbered(start.attempt(), token), clock.instant(), policy());
        runId = begun.runId();
        start = start.numbered(begun.state().nextAttemptNumber(), token);
        log.started(start);
      }
      stop.check();
      WriteResult fresh =
          store.aggregate(start.day(), new WriteRequest(token, options.force(), complete));
      // A retry after a committed write finds its own figures: it keeps what the write did.
      write = write != null && write.wrote() ? write.then(fresh) : fresh;
      if (fresh.needsVerification()) {
        verification = store.verify(start.day(), settings.costTolerance());
        // report the aggregate as verification left it
        write = write.then(store.find(start.day()).orElse(write.current()));
      }
      return null;
    }

    /** Releases the lease; if that fails, the lease frees itself at its expiry. */
    void releaseLease() {
      if (lease == null) {
        return;
      }
      try {
        leases.release(lease);
      } catch (RuntimeException e) {
        // Nothing to undo: the work is done or rolled back, and the lease expires on its own.
      }
    }

    AttemptReport finish() {
      Instant now = clock.instant();
      if (failure == null && verification != null && verification.isFailure()) {
        failure = Failure.verificationMismatch(verification);
      }
      Outcome outcome;
      if (interrupted) {
        outcome = Outcome.INTERRUPTED;
      } else if (failure != null) {
        outcome = Outcome.FAILED;
        if (failure.countsAgainstDay()) {
          Failure cause = failure;
          change = s -> s.afterFailure(now, cause, policy());
        }
      } else if (write != null) {
        // this attempt's figures were stored (even if a retry then found the lease taken)
        change = s -> s.afterSuccess(now);
        outcome =
            write.change() == WriteResult.Change.UNCHANGED ? Outcome.UNCHANGED : Outcome.AGGREGATED;
      } else {
        // Skipped or fenced: another holder owns the day's outcome; its retry state is not ours.
        outcome = fenced ? Outcome.FENCED : Outcome.SKIPPED_LOCKED;
      }
      Outcome ended = outcome;
      UnaryOperator<DayState> stateChange = change;
      long id = runId == null ? 0 : runId;
      // The attempt's number is the day's failures before it, plus one: read when it is recorded,
      // so a paused holder that comes back (its abandonment no longer charged) is not counted.
      AttemptReport report;
      try {
        report =
            runId != null
                ? retry.record(
                    () ->
                        attempts.finish(
                            id, stateChange, state -> report(ended, state, now), policy()))
                : recordEnded(ended, now);
      } catch (EnvironmentException e) {
        // The database went away for good: the attempt cannot be recorded; say so, then end the
        // run.
        AttemptReport unrecorded = report(ended, null, now);
        log.finished(unrecorded);
        metrics.attemptFinished(unrecorded);
        throw e;
      }
      log.finished(report);
      metrics.attemptFinished(report);
      return report;
    }

    /** An attempt that never held the lease: numbered by the day's state, which it leaves alone. */
    private AttemptReport recordEnded(Outcome outcome, Instant now) {
      DayState state = retry.record(() -> attempts.dayState(start.day()));
      start = start.numbered(state.nextAttemptNumber(), null);
      AttemptReport ended = report(outcome, null, now);
      return ended.withRunId(retry.record(() -> attempts.recordEnded(ended)));
    }

    /**
     * The attempt's report from the day's state before its change (null: unknown, or no longer
     * ours): numbered after the day's failures, and a counted failure is permanent once the policy
     * says so.
     */
    private AttemptReport report(Outcome outcome, DayState before, Instant now) {
      AttemptStart numbered = start;
      Outcome recorded = outcome;
      if (before != null) {
        numbered = start.numbered(before.nextAttemptNumber(), start.leaseToken());
        if (outcome == Outcome.FAILED && change.apply(before).isPermanentlyFailed()) {
          recorded = Outcome.PERMANENTLY_FAILED;
        }
      }
      return new AttemptReport(
          runId == null ? 0 : runId,
          numbered,
          recorded,
          Duration.between(start.startedAt(), now),
          write == null ? Optional.empty() : Optional.of(write.current()),
          Optional.ofNullable(verification),
          Optional.ofNullable(failure),
          closedDayChanged(now));
    }

    /** A replaced day older than the closed period: its figures may already be billed. */
    private boolean closedDayChanged(Instant now) {
      if (write == null || write.change() != WriteResult.Change.REPLACED) {
        return false;
      }
      LocalDate closedBefore =
          LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(settings.closedPeriodDays());
      return start.day().isBefore(closedBefore);
    }
  }

  private RetryPolicy policy() {
    return settings.retryPolicy();
  }
}
