package com.helix.aggregation.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Use case: aggregate one UTC day, idempotently, under the day's lease, verified after commit, with
 * every attempt recorded (SPEC §3, §4, §6).
 *
 * <p>The lease only saves work: correctness rests on the store's single {@code REPEATABLE READ}
 * transaction, which fences a writer whose snapshot is older than another's committed result.
 */
public final class AggregateDayService {
  /** The job name in {@code job_runs} and in lease keys. */
  public static final String JOB = "daily-aggregate";

  private final AggregateStore store;
  private final AttemptLog attempts;
  private final LeaseProvider leases;
  private final Metrics metrics;
  private final JobLog log;
  private final Clock clock;
  private final AggregationSettings settings;
  private final TransientRetry retry;

  public AggregateDayService(
      AggregateStore store,
      AttemptLog attempts,
      LeaseProvider leases,
      Metrics metrics,
      JobLog log,
      Clock clock,
      AggregationSettings settings,
      TransientRetry retry) {
    this.store = store;
    this.attempts = attempts;
    this.leases = leases;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
    this.settings = settings;
    this.retry = retry;
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
   * Runs one attempt for a day and records it. Failures of the day are reported in the result, not
   * thrown; only an unusable attempt log (the database itself unreachable) throws.
   *
   * @throws InvalidDayException when the day may not be aggregated (nothing is recorded)
   */
  public AttemptReport aggregate(
      LocalDate day, Trigger trigger, RunOptions options, String requestId) {
    checkDay(day, options, clock);
    Instant startedAt = clock.instant();
    Attempt attempt =
        new Attempt(
            new AttemptStart(JOB, day, trigger, 0, null, requestId, startedAt),
            options,
            UtcDay.isComplete(day, startedAt));
    try {
      retry.call(attempt::runUnderLease);
    } catch (FencedException e) {
      attempt.fenced = true;
    } catch (RuntimeException e) {
      attempt.failure = Failure.of(e);
    }
    return attempt.finish();
  }

  /** One attempt: its lease, its job run and what it found. */
  private final class Attempt {
    private AttemptStart start;
    private final RunOptions options;
    private final boolean complete;
    private Long runId;
    private boolean skipped;
    private boolean fenced;
    private WriteResult write;
    private VerificationReport verification;
    private Failure failure;

    Attempt(AttemptStart start, RunOptions options, boolean complete) {
      this.start = start;
      this.options = options;
      this.complete = complete;
    }

    /** Takes the lease, aggregates and verifies; repeated as a whole on transient errors. */
    Void runUnderLease() {
      Optional<Lease> lease = leases.tryAcquire(leaseKey(start.day()));
      if (lease.isEmpty()) {
        skipped = true;
        return null;
      }
      skipped = false;
      try {
        long token = lease.get().token();
        if (runId == null) {
          begin(token);
        }
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
      } finally {
        release(lease.get());
      }
    }

    /**
     * The first time this attempt holds the lease: earlier attempts still recorded as running are
     * dead (they lost the lease), so they are closed and counted as failures; then this attempt's
     * number is known and it is recorded as running.
     */
    private void begin(long token) {
      int abandoned = attempts.closeAbandoned(JOB, start.day(), clock.instant());
      DayState state =
          abandoned == 0
              ? attempts.dayState(start.day())
              : attempts.updateDayState(
                  start.day(),
                  s ->
                      s.afterFailures(
                          abandoned, clock.instant(), Failure.abandoned(abandoned), policy()));
      start = withAttempt(start, state.nextAttemptNumber(), token);
      runId = attempts.started(start);
      log.started(start);
    }

    AttemptReport finish() {
      Instant now = clock.instant();
      if (failure == null
          && verification != null
          && !verification.passed()
          && !verification.superseded()) {
        failure = Failure.verificationMismatch(verification);
      }
      Outcome outcome;
      if (failure != null) {
        Failure cause = failure;
        DayState state =
            retry.call(
                () ->
                    attempts.updateDayState(
                        start.day(), s -> s.afterFailure(now, cause, policy())));
        start = withAttempt(start, state.consecutiveFailures(), start.leaseToken());
        outcome = state.isPermanentlyFailed() ? Outcome.PERMANENTLY_FAILED : Outcome.FAILED;
      } else if (write != null) {
        // this attempt's figures were stored (even if a retry then found the lease taken)
        retry.call(() -> attempts.updateDayState(start.day(), s -> s.afterSuccess(now)));
        outcome =
            write.change() == WriteResult.Change.UNCHANGED ? Outcome.UNCHANGED : Outcome.AGGREGATED;
      } else {
        // Skipped or fenced: another holder owns the day's outcome; its retry state is not ours.
        outcome = fenced ? Outcome.FENCED : Outcome.SKIPPED_LOCKED;
        if (runId == null) {
          int next = retry.call(() -> attempts.dayState(start.day())).nextAttemptNumber();
          start = withAttempt(start, next, null);
        }
      }
      AttemptReport report =
          new AttemptReport(
              runId == null ? 0 : runId,
              start,
              outcome,
              Duration.between(start.startedAt(), now),
              write == null ? Optional.empty() : Optional.of(write.current()),
              Optional.ofNullable(verification),
              Optional.ofNullable(failure),
              closedDayChanged(now));
      AttemptReport recorded = record(report);
      log.finished(recorded);
      metrics.attemptFinished(recorded);
      return recorded;
    }

    private AttemptReport record(AttemptReport report) {
      if (runId != null) {
        retry.call(
            () -> {
              attempts.finished(report);
              return null;
            });
        return report;
      }
      long id = retry.call(() -> attempts.recordEnded(report));
      return new AttemptReport(
          id,
          report.start(),
          report.outcome(),
          report.duration(),
          report.aggregate(),
          report.verification(),
          report.failure(),
          report.closedDayChanged());
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

  private static AttemptStart withAttempt(AttemptStart start, int attempt, Long leaseToken) {
    return new AttemptStart(
        start.job(),
        start.day(),
        start.trigger(),
        attempt,
        leaseToken,
        start.requestId(),
        start.startedAt());
  }

  /** Releases a lease; if that fails, the lease frees itself at its expiry. */
  private void release(Lease lease) {
    try {
      leases.release(lease);
    } catch (RuntimeException e) {
      // Nothing to undo: the work is done or rolled back, and the lease expires on its own.
    }
  }
}
