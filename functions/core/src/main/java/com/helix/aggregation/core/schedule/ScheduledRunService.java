package com.helix.aggregation.core.schedule;

import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AggregateStore;
import com.helix.aggregation.core.AttemptLog;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.BackfillPlan;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.ChangeLog;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.DayRange;
import com.helix.aggregation.core.DayState;
import com.helix.aggregation.core.DayStatus;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.EnvironmentException;
import com.helix.aggregation.core.Failure;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.PlannedDay;
import com.helix.aggregation.core.RunInterruptedException;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.SetupCheck;
import com.helix.aggregation.core.TransientRetry;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.core.queue.BackfillQueue;
import com.helix.aggregation.core.queue.DeadLetter;
import com.helix.aggregation.core.queue.QueuedBackfillService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case: one scheduled run (SPEC §5, §6).
 *
 * <ul>
 *   <li>The daily run aggregates its target (the UTC day before the scheduled time) first and
 *       inline, never behind a backfill; then the catch-up of the lookback window: days missing,
 *       failed and due, unverified, partial or changed (a verified day costs one unchanged check),
 *       oldest first, within the invocation's time; the rest go to the backfill queue as one
 *       request.
 *   <li>The hourly run retries the window's failed days whose backoff has elapsed and redoes its
 *       missing, unverified (raw data moved before the verification) and partial days; it scans no
 *       unchanged day, so an hour with nothing to do costs a few small queries.
 * </ul>
 *
 * A failed day is attempted again only when its backoff has elapsed (so Lambda's own retries of a
 * failed invocation never burn its attempts); a day that ends permanently failed is sent to the
 * backfill's dead-letter queue with its reason, and the next days always proceed. The run fails (so
 * the async-invoke failure destination and the function-error alarm see it) only when its target
 * could not be aggregated, a dead-letter send failed (Lambda's retry, with the same request id,
 * sends the days its request failed for good first), or the environment failed. The current UTC day
 * is never aggregated.
 */
public final class ScheduledRunService {
  /** Time kept back before starting another catch-up day, besides the longest day so far. */
  static final Duration CATCH_UP_MARGIN = Duration.ofSeconds(15);

  /**
   * A failed day whose backoff ends within this of a run is tried by that run: the hourly runs come
   * at fixed minutes, and a backoff that ends seconds after one should not wait a whole hour.
   */
  static final Duration DUE_TOLERANCE = Duration.ofMinutes(5);

  private final AggregateDayService aggregation;
  private final AggregateStore store;
  private final AttemptLog attempts;
  private final ChangeLog changes;
  private final Optional<BackfillQueue> queue;
  private final Optional<QueuedBackfillService> backfills;
  private final SetupCheck setup;
  private final TransientRetry retry;
  private final Metrics metrics;
  private final Clock clock;
  private final int lookbackDays;

  public ScheduledRunService(
      AggregateDayService aggregation,
      AggregateStore store,
      AttemptLog attempts,
      ChangeLog changes,
      Optional<BackfillQueue> queue,
      Optional<QueuedBackfillService> backfills,
      SetupCheck setup,
      TransientRetry retry,
      Metrics metrics,
      Clock clock,
      int lookbackDays) {
    this.aggregation = aggregation;
    this.store = store;
    this.attempts = attempts;
    this.changes = changes;
    this.queue = queue;
    this.backfills = backfills;
    this.setup = setup;
    this.retry = retry;
    this.metrics = metrics;
    this.clock = clock;
    this.lookbackDays = lookbackDays;
  }

  /**
   * Runs one scheduled delivery.
   *
   * @throws com.helix.aggregation.core.InvalidDayException for a stale or future delivery (nothing
   *     is written)
   * @throws EnvironmentException when the environment fails (no day is charged for it)
   */
  public ScheduledRunReport run(ScheduledRun run, Deadline deadline, String requestId) {
    run.check(clock);
    retry.call(
        () -> {
          setup.verify();
          return null;
        },
        deadline);
    LocalDate target = run.targetDay();
    DayRange window = new DayRange(target.minusDays(lookbackDays - 1L), target);
    Instant now = clock.instant();
    Map<LocalDate, DayState> states =
        retry.call(() -> attempts.dayStates(window.from(), window.to()), deadline);
    List<DailyAggregate> stored =
        retry.call(() -> store.findBetween(window.from(), window.to()), deadline);
    List<PlannedDay> plan = BackfillPlan.of(window, stored, states).days();
    Tracking tracking = retry.call(() -> tracking(target.plusDays(1), stored), deadline);
    Trigger trigger = run.mode() == ScheduledRun.Mode.DAILY ? Trigger.SCHEDULE : Trigger.RETRY;
    Run state = new Run(requestId, deadline);
    state.deadLetterWhatThisRequestFailed(states);

    if (run.mode() == ScheduledRun.Mode.DAILY) {
      PlannedDay yesterday = plan.get(plan.size() - 1);
      if (isDue(yesterday, states, now)) {
        state.attempt(target, Trigger.SCHEDULE);
      }
    }
    List<LocalDate> toDo = new ArrayList<>();
    // With change tracking, days of any age that writes touched are done first, oldest first
    // (except those failed for good or not yet due); the window's other days as before.
    for (LocalDate day : tracking.changed()) {
      if (day.isBefore(window.from()) && dueOutsideTheWindow(day, now)) {
        toDo.add(day);
      }
    }
    for (PlannedDay day : plan) {
      boolean isTarget = day.day().equals(target);
      boolean wanted =
          run.mode() == ScheduledRun.Mode.DAILY
              ? !isTarget && isDue(day, states, now) && !tracking.knownUnchanged(day)
              : (day.status().needsWork() || tracking.changed().contains(day.day()))
                  && isDue(day, states, now);
      if (wanted && !(isTarget && run.mode() == ScheduledRun.Mode.DAILY)) {
        toDo.add(day.day());
      }
    }
    for (LocalDate day : toDo) {
      if (state.stopped || !state.hasTimeForAnotherDay()) {
        state.left.add(day);
      } else {
        state.attempt(day, day.equals(target) ? trigger : Trigger.CATCH_UP);
      }
    }
    if (state.stopped) {
      throw new EnvironmentException(state.stopReason);
    }
    if (state.deadLetterFailure != null) {
      // Lambda retries the invocation with the same request id: it sends the letter first.
      throw new EnvironmentException(
          "a day failed for good but could not be sent to the dead-letter queue: "
              + state.deadLetterFailure.getMessage(),
          state.deadLetterFailure);
    }
    Optional<String> queuedAs = sendTheRest(state.left, requestId);
    Optional<LocalDate> newest = retry.call(store::newestVerifiedDay, deadline);
    metrics.freshness(newest, clock.instant());
    return new ScheduledRunReport(
        run,
        target,
        state.reports,
        queuedAs.isPresent() ? state.left : List.of(),
        queuedAs,
        queuedAs.isPresent() ? List.of() : state.left,
        state.targetFailed(target),
        newest);
  }

  /**
   * What the change log says for this run: the days writes touched (before {@code today}), and
   * since when a verified day absent from them is known unchanged without a scan.
   */
  private Tracking tracking(LocalDate today, List<DailyAggregate> stored) {
    Optional<Instant> since = changes.trackedSince();
    if (since.isEmpty()) {
      return new Tracking(Optional.empty(), List.of(), Map.of());
    }
    Map<LocalDate, DailyAggregate> byDay = new java.util.HashMap<>();
    stored.forEach(a -> byDay.put(a.day(), a));
    return new Tracking(since, changes.changedDays(today), byDay);
  }

  /** The change log's view of the window. */
  private record Tracking(
      Optional<Instant> since, List<LocalDate> changed, Map<LocalDate, DailyAggregate> stored) {

    /**
     * Verified complete, aggregated after tracking began, and not logged as changed since: every
     * write its snapshot did not see is in the log, so it needs no scan. Its aggregation time
     * counts, not its verification's: a verification after tracking began ({@code helix verify})
     * compares totals only, and would vouch for a breakdown that an untracked write changed.
     */
    boolean knownUnchanged(PlannedDay day) {
      if (since.isEmpty() || day.status() != DayStatus.VERIFIED || changed.contains(day.day())) {
        return false;
      }
      DailyAggregate aggregate = stored.get(day.day());
      return aggregate != null && !aggregate.computedAt().isBefore(since.get());
    }
  }

  /** A changed day before the window: not if it failed for good, or its backoff runs. */
  private boolean dueOutsideTheWindow(LocalDate day, Instant now) {
    DayState state = attempts.dayState(day);
    if (state.isPermanentlyFailed()) {
      return false;
    }
    return state.nextAttemptAt() == null || !state.nextAttemptAt().isAfter(now.plus(DUE_TOLERANCE));
  }

  /**
   * Whether a day is to be tried now: never a permanently failed one (an operator retries it), a
   * failed one only once its backoff has elapsed, anything else always.
   */
  private static boolean isDue(PlannedDay day, Map<LocalDate, DayState> states, Instant now) {
    if (day.status() == DayStatus.PERMANENTLY_FAILED) {
      return false;
    }
    if (day.status() != DayStatus.FAILED) {
      return true;
    }
    Instant next = states.getOrDefault(day.day(), DayState.fresh(day.day())).nextAttemptAt();
    return next == null || !next.isAfter(now.plus(DUE_TOLERANCE));
  }

  /** The days the invocation had no time for, to the backfill queue as one request. */
  private Optional<String> sendTheRest(List<LocalDate> left, String requestId) {
    if (left.isEmpty() || backfills.isEmpty()) {
      return Optional.empty();
    }
    BackfillRequest request =
        new BackfillRequest(
            new DayRange(left.get(0), left.get(left.size() - 1)),
            false,
            false,
            false,
            "catch-up-" + requestId);
    backfills.get().submit(request, QueuedBackfillService.FROM_CATCH_UP, left);
    return Optional.of(request.requestId());
  }

  /** The attempts of one run. */
  private final class Run {
    private final String requestId;
    private final Deadline deadline;
    private final List<AttemptReport> reports = new ArrayList<>();
    private final List<LocalDate> left = new ArrayList<>();
    private Duration longest = Duration.ZERO;
    private boolean stopped;
    private String stopReason;
    private RuntimeException deadLetterFailure;

    Run(String requestId, Deadline deadline) {
      this.requestId = requestId;
      this.deadline = deadline;
    }

    boolean hasTimeForAnotherDay() {
      return deadline.allows(CATCH_UP_MARGIN.plus(longest.multipliedBy(2)), clock);
    }

    void attempt(LocalDate day, Trigger trigger) {
      AttemptReport report =
          aggregation.aggregate(day, trigger, RunOptions.DEFAULT, requestId, deadline);
      reports.add(report);
      if (report.duration().compareTo(longest) > 0) {
        longest = report.duration();
      }
      if (report.endsRun()) {
        stopped = true;
        stopReason = report.failure().map(Failure::message).orElse("the run was asked to stop");
      } else if (report.outcome() == Outcome.PERMANENTLY_FAILED) {
        deadLetter(report);
      }
    }

    private void deadLetter(AttemptReport report) {
      Failure failure = report.failure().orElseThrow();
      deadLetter(
          report.start().day(), failure.message(), failure.errorClass(), report.start().attempt());
    }

    /**
     * A retry of this invocation (Lambda's async retries keep the request id) first sends the days
     * this request failed for good: their letters are what made it fail.
     */
    void deadLetterWhatThisRequestFailed(Map<LocalDate, DayState> states) {
      if (queue.isEmpty()) {
        return;
      }
      for (DayState day : states.values()) {
        if (day.isPermanentlyFailed()
            && retry
                .call(() -> attempts.requestThatFailedForGood(day.day()), deadline)
                .filter(requestId::equals)
                .isPresent()) {
          deadLetter(
              day.day(),
              Objects.requireNonNullElse(day.lastError(), "failed for good"),
              Objects.requireNonNullElse(day.lastErrorClass(), "Unknown"),
              day.consecutiveFailures());
        }
      }
    }

    /**
     * Sends a day failed for good to the dead-letter queue. When the send fails, the next days
     * still run, and the run then fails (SPEC §6: visible, and retried by Lambda).
     */
    private void deadLetter(LocalDate day, String reason, String errorClass, int attempt) {
      if (queue.isEmpty()) {
        return;
      }
      String request = "schedule-" + requestId;
      try {
        retry.call(
            () -> {
              queue
                  .get()
                  .deadLetter(
                      new DeadLetter(
                          // the backfill message's wire form, so the letter reads like the others
                          "{\"day\":\"" + day + "\",\"requestId\":\"" + request + "\"}",
                          Optional.of(day),
                          Optional.of(request),
                          reason,
                          errorClass,
                          attempt,
                          "schedule-" + day + "-" + requestId,
                          Optional.empty()));
              return null;
            },
            deadline);
      } catch (RunInterruptedException e) {
        throw e;
      } catch (RuntimeException e) {
        if (deadLetterFailure == null) {
          deadLetterFailure = e;
        }
      }
    }

    /** The target could not be aggregated: it was attempted and did not succeed. */
    boolean targetFailed(LocalDate target) {
      return reports.stream()
          .filter(r -> r.start().day().equals(target))
          .reduce((a, b) -> b)
          .map(r -> r.outcome().isFailure())
          .orElseGet(() -> stillFailing(target));
    }

    /** Not attempted (its backoff has not elapsed) but failed: still not aggregated. */
    private boolean stillFailing(LocalDate target) {
      DayState state = retry.call(() -> attempts.dayState(target), deadline);
      return state.hasFailures() || state.isPermanentlyFailed();
    }
  }
}
