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

/**
 * Use case: a backfill in this process (SPEC §7, {@code helix backfill --local}). Days run oldest
 * first, one at a time, each under its own lease and through the same {@link AggregateDayService}
 * as every other run, at most {@code batchSize} per batch with a pause between batches. One
 * backfill runs at a time across every process: a backfill-wide lease, which a second backfill
 * waits for. A failing day is retried after the rest of its batch with short exponential backoff
 * until it succeeds or has failed {@code maxAttempts} times (counted in the database), and never
 * stops the other days.
 */
public final class BackfillService {
  /** The lease key every backfill takes: the local mode's and, later, the queue worker's. */
  public static final String LEASE_KEY = "backfill";

  private final AggregateDayService aggregation;
  private final AggregateStore store;
  private final AttemptLog attempts;
  private final LeaseProvider leases;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RetryPolicy retryPolicy;
  private final BackfillSettings settings;

  public BackfillService(
      AggregateDayService aggregation,
      AggregateStore store,
      AttemptLog attempts,
      LeaseProvider leases,
      Clock clock,
      Sleeper sleeper,
      RetryPolicy retryPolicy,
      BackfillSettings settings) {
    this.aggregation = aggregation;
    this.store = store;
    this.attempts = attempts;
    this.leases = leases;
    this.clock = clock;
    this.sleeper = sleeper;
    this.retryPolicy = retryPolicy;
    this.settings = settings;
  }

  /** Runs the backfill; failures of days are in the summary, not thrown. */
  public BackfillSummary run(BackfillRequest request, BackfillListener listener) {
    request.check(clock);
    Instant started = clock.instant();
    Lease lease = awaitBackfillLease(listener);
    try {
      if (request.retryFailed()) {
        listener.failuresReset(
            attempts.resetFailures(request.range().from(), request.range().to()));
      }
      BackfillPlan plan = plan(request.range());
      List<LocalDate> toRun = plan.toRun();
      Map<LocalDate, AttemptReport> last = new LinkedHashMap<>();
      Duration pauses = Duration.ZERO;
      int done = 0;
      for (int start = 0; start < toRun.size(); start += settings.batchSize()) {
        if (start > 0) {
          sleeper.sleep(settings.batchDelay());
          pauses = pauses.plus(settings.batchDelay());
        }
        lease = keep(lease, listener);
        List<LocalDate> batch =
            toRun.subList(start, Math.min(start + settings.batchSize(), toRun.size()));
        runBatch(batch, request, last);
        done += batch.size();
        listener.batchFinished(
            new BackfillProgress(done, toRun.size(), Duration.between(started, clock.instant())));
      }
      return summarize(request, plan, last, pauses, started, listener);
    } finally {
      release(lease);
    }
  }

  /**
   * A dry run: the plan with each day's status, verified days hashed against their raw data
   * (changed or unchanged), throttled like a real run; it writes nothing.
   */
  public List<PlannedDay> dryRun(BackfillRequest request, BackfillListener listener) {
    request.check(clock);
    List<PlannedDay> findings = new ArrayList<>();
    List<PlannedDay> days = plan(request.range()).days();
    Instant started = clock.instant();
    for (int start = 0; start < days.size(); start += settings.batchSize()) {
      if (start > 0) {
        sleeper.sleep(settings.batchDelay());
      }
      List<PlannedDay> batch =
          days.subList(start, Math.min(start + settings.batchSize(), days.size()));
      for (PlannedDay planned : batch) {
        PlannedDay finding = refine(planned);
        findings.add(finding);
        listener.dayPlanned(finding);
      }
      listener.batchFinished(
          new BackfillProgress(
              start + batch.size(), days.size(), Duration.between(started, clock.instant())));
    }
    return findings;
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
        stored.isPresent()
            && stored.get().sourceHash().equals(store.currentSourceHash(planned.day()));
    return new PlannedDay(planned.day(), same ? DayStatus.UNCHANGED : DayStatus.CHANGED);
  }

  /**
   * Runs each day of the batch once, then retries the ones that failed (or found their day's lease
   * held) after the rest of the batch, with short exponential backoff, until each succeeds or fails
   * for good.
   */
  private void runBatch(
      List<LocalDate> batch, BackfillRequest request, Map<LocalDate, AttemptReport> last) {
    for (LocalDate day : batch) {
      last.put(day, attempt(day, request));
    }
    // A day still locked by another run after this many rounds is reported unfinished.
    int maxRounds = retryPolicy.maxAttempts() + 2;
    for (int round = 1; round <= maxRounds; round++) {
      List<LocalDate> retry =
          batch.stream().filter(d -> needsAnotherTry(last.get(d).outcome())).toList();
      if (retry.isEmpty()) {
        return;
      }
      sleeper.sleep(retryPolicy.backfillDelay(round));
      for (LocalDate day : retry) {
        last.put(day, attempt(day, request));
      }
    }
  }

  private AttemptReport attempt(LocalDate day, BackfillRequest request) {
    return aggregation.aggregate(day, Trigger.BACKFILL, request.runOptions(), request.requestId());
  }

  private static boolean needsAnotherTry(Outcome outcome) {
    return outcome == Outcome.FAILED || outcome == Outcome.SKIPPED_LOCKED;
  }

  private BackfillSummary summarize(
      BackfillRequest request,
      BackfillPlan plan,
      Map<LocalDate, AttemptReport> last,
      Duration pauses,
      Instant started,
      BackfillListener listener) {
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    List<LocalDate> failedForGood = new ArrayList<>();
    List<LocalDate> unfinished = new ArrayList<>();
    for (AttemptReport report : last.values()) {
      outcomes.merge(report.outcome(), 1, Integer::sum);
      LocalDate day = report.start().day();
      if (report.outcome() == Outcome.PERMANENTLY_FAILED) {
        failedForGood.add(day);
        listener.dayFailedForGood(day, report.failure().map(Failure::message).orElse(""));
      } else if (!report.outcome().isSuccess()) {
        unfinished.add(day);
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
        pauses,
        Duration.between(started, clock.instant()));
  }

  /** Takes the backfill-wide lease, waiting (and saying so) while another backfill holds it. */
  private Lease awaitBackfillLease(BackfillListener listener) {
    boolean told = false;
    while (true) {
      Optional<Lease> lease = leases.tryAcquire(LEASE_KEY);
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
    return leases.renew(lease) ? lease : awaitBackfillLease(listener);
  }

  private void release(Lease lease) {
    try {
      leases.release(lease);
    } catch (RuntimeException e) {
      // it expires on its own
    }
  }
}
