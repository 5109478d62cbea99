package com.helix.aggregation.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Use case: a backfill in this process (SPEC §7, {@code helix backfill --local}). Days run oldest
 * first, one at a time, each under its own lease and through the same {@link AggregateDayService}
 * as every other run, at most {@code batchSize} per batch with a pause between batches. One
 * backfill runs at a time across every process: a backfill-wide lease, which a second backfill
 * waits for. A failing day is retried after the rest of its batch with short exponential backoff
 * until it succeeds or has failed {@code maxAttempts} times (counted in the database), and never
 * stops the other days.
 *
 * <p>The setup is checked once before the first day. An error of the environment (the database or
 * lease store gone past the transient budget) or a stop request ends the run at once: every
 * following day would fail the same way, and no day is charged for it (SPEC §6).
 */
public final class BackfillService {
  /** The lease key every local backfill takes. */
  public static final String LEASE_KEY = "backfill";

  private final AggregateDayService aggregation;
  private final AggregateStore store;
  private final AttemptLog attempts;
  private final LeaseProvider leases;
  private final Clock clock;
  private final Sleeper sleeper;
  private final TransientRetry retry;
  private final RetryPolicy retryPolicy;
  private final BackfillSettings settings;
  private final SetupCheck setup;

  public BackfillService(
      AggregateDayService aggregation,
      AggregateStore store,
      AttemptLog attempts,
      LeaseProvider leases,
      Clock clock,
      Sleeper sleeper,
      TransientRetry retry,
      RetryPolicy retryPolicy,
      BackfillSettings settings,
      SetupCheck setup) {
    this.aggregation = aggregation;
    this.store = store;
    this.attempts = attempts;
    this.leases = leases;
    this.clock = clock;
    this.sleeper = sleeper;
    this.retry = retry;
    this.retryPolicy = retryPolicy;
    this.settings = settings;
    this.setup = setup;
  }

  /**
   * Runs the backfill; failures of days, of the environment and a stop request are in the summary.
   *
   * @throws InvalidDayException when the range may not be backfilled (nothing is written)
   * @throws EnvironmentException when the setup is broken before any day ran (nothing is written)
   */
  public BackfillSummary run(BackfillRequest request, BackfillListener listener) {
    request.check(clock);
    Instant started = clock.instant();
    retry.call(
        () -> {
          setup.verify();
          return null;
        });
    Lease lease = awaitBackfillLease(listener);
    Run run = new Run(request, listener, started);
    try {
      if (request.retryFailed()) {
        listener.failuresReset(
            retry.call(() -> attempts.resetFailures(request.range().from(), request.range().to())));
      }
      run.plan = retry.call(() -> plan(request.range()));
      List<LocalDate> toRun = run.plan.toRun();
      for (int start = 0; start < toRun.size() && run.stoppedBy == null; start += batchSize()) {
        if (start > 0) {
          sleeper.sleep(settings.batchDelay());
          run.pauses = run.pauses.plus(settings.batchDelay());
        }
        lease = keep(lease, listener);
        run.batch(toRun.subList(start, Math.min(start + batchSize(), toRun.size())), toRun.size());
      }
    } catch (RunInterruptedException e) {
      run.stop("interrupted: " + e.getMessage(), true);
    } catch (EnvironmentException e) {
      run.stop(e.getMessage(), false);
    } finally {
      release(lease);
    }
    return run.summarize();
  }

  /**
   * A dry run: the plan with each day's status, verified days hashed against their raw data
   * (changed or unchanged), throttled like a real run; it writes nothing.
   */
  public List<PlannedDay> dryRun(BackfillRequest request, BackfillListener listener) {
    request.check(clock);
    List<PlannedDay> findings = new ArrayList<>();
    List<PlannedDay> days = retry.call(() -> plan(request.range())).days();
    Instant started = clock.instant();
    for (int start = 0; start < days.size(); start += batchSize()) {
      if (start > 0) {
        sleeper.sleep(settings.batchDelay());
      }
      List<PlannedDay> batch = days.subList(start, Math.min(start + batchSize(), days.size()));
      for (PlannedDay planned : batch) {
        PlannedDay finding = retry.call(() -> refine(planned));
        findings.add(finding);
        listener.dayPlanned(finding);
      }
      listener.batchFinished(
          new BackfillProgress(
              start + batch.size(), 0, days.size(), Duration.between(started, clock.instant())));
    }
    return findings;
  }

  private int batchSize() {
    return settings.batchSize();
  }

  private BackfillPlan plan(DayRange range) {
    return BackfillPlan.of(
        range,
        store.findBetween(range.from(), range.to()),
        attempts.dayStates(range.from(), range.to()));
  }

  /** A verified day is hashed: its raw data either still matches (unchanged) or not (changed). */
  private PlannedDay refine(PlannedDay planned) {
    if (planned.status() != DayStatus.VERIFIED) {
      return planned;
    }
    Optional<DailyAggregate> stored = store.find(planned.day());
    boolean same =
        stored.isPresent() && store.stillMatches(planned.day(), stored.get().sourceHash());
    return new PlannedDay(planned.day(), same ? DayStatus.UNCHANGED : DayStatus.CHANGED);
  }

  /** One backfill run: its days' last reports, and why it stopped early if it did. */
  private final class Run {
    private final BackfillRequest request;
    private final BackfillListener listener;
    private final Instant started;
    private final Map<LocalDate, AttemptReport> last = new LinkedHashMap<>();
    private BackfillPlan plan = new BackfillPlan(List.of());
    private Duration pauses = Duration.ZERO;
    private String stoppedBy;
    private boolean interrupted;
    private int done;
    private int failed;

    Run(BackfillRequest request, BackfillListener listener, Instant started) {
      this.request = request;
      this.listener = listener;
      this.started = started;
    }

    /**
     * Runs each day of the batch once, then retries the ones that failed, found their lease held,
     * or saw their raw data move before verification, after the rest of the batch, with short
     * exponential backoff, until each succeeds or fails for good.
     */
    void batch(List<LocalDate> batch, int total) {
      for (LocalDate day : batch) {
        if (!attempt(day)) {
          return;
        }
      }
      // A day still locked by another run (or still changing) after this many rounds is reported
      // unfinished.
      int maxRounds = retryPolicy.maxAttempts() + 2;
      for (int round = 1; round <= maxRounds; round++) {
        List<LocalDate> again = batch.stream().filter(d -> needsAnotherTry(last.get(d))).toList();
        if (again.isEmpty()) {
          break;
        }
        sleeper.sleep(retryPolicy.backfillDelay(round));
        for (LocalDate day : again) {
          if (!attempt(day)) {
            return;
          }
        }
      }
      done += batch.size();
      failed += (int) batch.stream().filter(d -> !succeeded(last.get(d))).count();
      listener.batchFinished(
          new BackfillProgress(done, failed, total, Duration.between(started, clock.instant())));
    }

    /** One attempt of a day; false when the run must stop. */
    private boolean attempt(LocalDate day) {
      AttemptReport report =
          aggregation.aggregate(
              day, Trigger.BACKFILL, request.runOptions(), request.requestId(), Deadline.NONE);
      if (report.endsRun()) {
        stop(
            report.outcome() == Outcome.INTERRUPTED
                ? "interrupted while aggregating " + day
                : report.failure().map(Failure::message).orElse("the environment failed"),
            report.outcome() == Outcome.INTERRUPTED);
        return false;
      }
      last.put(day, report);
      return true;
    }

    void stop(String why, boolean byInterrupt) {
      stoppedBy = why;
      interrupted = byInterrupt;
    }

    BackfillSummary summarize() {
      Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
      List<LocalDate> failedForGood = new ArrayList<>();
      Map<LocalDate, String> unfinished = new TreeMap<>();
      for (AttemptReport report : last.values()) {
        outcomes.merge(report.outcome(), 1, Integer::sum);
        LocalDate day = report.start().day();
        if (report.outcome() == Outcome.PERMANENTLY_FAILED) {
          failedForGood.add(day);
          listener.dayFailedForGood(day, report.failure().map(Failure::message).orElse(""));
        } else {
          String reason = unfinishedReason(report);
          if (reason != null) {
            unfinished.put(day, reason);
          }
        }
      }
      for (LocalDate day : plan.permanentlyFailed()) {
        failedForGood.add(day);
        listener.dayFailedForGood(
            day, "failed for good before this backfill; --retry-failed runs it again");
      }
      failedForGood.sort(null);
      return new BackfillSummary(
          request.range().size(),
          outcomes,
          failedForGood,
          unfinished,
          Optional.ofNullable(stoppedBy),
          interrupted,
          pauses,
          Duration.between(started, clock.instant()));
    }
  }

  private static boolean succeeded(AttemptReport report) {
    return report.outcome().isSuccess() && unfinishedReason(report) == null;
  }

  private static boolean needsAnotherTry(AttemptReport report) {
    return report.outcome() == Outcome.FAILED || unfinishedReason(report) != null;
  }

  /**
   * Why a day that did not fail for good is not done, or null when it is: its lease still held by
   * another run, or its raw data still changing before it could be verified (a partial day, today,
   * is expected to change and is not held against the backfill).
   */
  private static String unfinishedReason(AttemptReport report) {
    return switch (report.outcome()) {
      case SKIPPED_LOCKED -> "its lease is still held by another run";
      case FAILED -> "failed: " + report.failure().map(Failure::message).orElse("");
      case AGGREGATED ->
          report.rawMovedBeforeVerification()
                  && report.aggregate().map(DailyAggregate::complete).orElse(true)
              ? "its raw data kept changing, so it is left unverified for the next run"
              : null;
      default -> null;
    };
  }

  /**
   * Takes the backfill-wide lease, waiting (and saying so) while another backfill holds it; a lease
   * store that is briefly unreachable is retried.
   */
  private Lease awaitBackfillLease(BackfillListener listener) {
    boolean told = false;
    while (true) {
      Optional<Lease> lease = retry.call(() -> leases.tryAcquire(LEASE_KEY));
      if (lease.isPresent()) {
        return lease.get();
      }
      if (!told) {
        listener.waitingForOtherBackfill(leases.describe());
        told = true;
      }
      sleeper.sleep(settings.leasePoll());
    }
  }

  /** Extends the backfill lease for the next batch; takes it again if it was lost. */
  private Lease keep(Lease lease, BackfillListener listener) {
    return retry.call(() -> leases.renew(lease)) ? lease : awaitBackfillLease(listener);
  }

  private void release(Lease lease) {
    if (lease == null) {
      return;
    }
    try {
      leases.release(lease);
    } catch (RuntimeException e) {
      // it expires on its own
    }
  }
}
