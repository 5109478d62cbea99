package com.helix.aggregation.core.queue;

import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AttemptLog;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.BackfillSettings;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.DayState;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.EnvironmentException;
import com.helix.aggregation.core.Failure;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RetryPolicy;
import com.helix.aggregation.core.RunInterruptedException;
import com.helix.aggregation.core.SetupCheck;
import com.helix.aggregation.core.Sleeper;
import com.helix.aggregation.core.TransientRetry;
import com.helix.aggregation.core.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case: the backfill worker (SPEC §7), one day per message, through the same aggregation as
 * every other run. A day's attempts are finished inside the invocation, with the local backfill's
 * short backoff between them, and the message is then acknowledged: done, left to another run that
 * holds the day, or (once the day is permanently failed) moved to the dead-letter queue by the
 * worker itself, with the failure. Attempts are counted in the database, never from receive counts:
 * the queue's redrive policy is only a backstop for a worker that was killed. A poison message goes
 * to the dead-letter queue at once, and a cancelled request's days are acknowledged as cancelled. A
 * day this very request failed for good whose message comes back (the dead-letter send failed, or
 * the worker died before it) is dead-lettered then: such a day always reaches the dead-letter
 * queue.
 *
 * <p>Only what the worker could not even try is delivered again: a day the invocation has no time
 * left for. An error of the environment fails the invocation (every day would fail the same way,
 * and none is charged); the queue delivers the message again later.
 */
public final class BackfillQueueWorker {
  /** Time kept back from the invocation: a day's attempt starts only with this much left. */
  public static final Duration SAFETY_MARGIN = Duration.ofSeconds(60);

  private final AggregateDayService aggregation;
  private final AttemptLog attempts;
  private final BackfillQueue queue;
  private final BackfillRequests requests;
  private final SetupCheck setup;
  private final TransientRetry retry;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final BackfillSettings throttle;

  public BackfillQueueWorker(
      AggregateDayService aggregation,
      AttemptLog attempts,
      BackfillQueue queue,
      BackfillRequests requests,
      SetupCheck setup,
      TransientRetry retry,
      Sleeper sleeper,
      Clock clock,
      RetryPolicy retryPolicy,
      BackfillSettings throttle) {
    this.aggregation = aggregation;
    this.attempts = attempts;
    this.queue = queue;
    this.requests = requests;
    this.setup = setup;
    this.retry = retry;
    this.sleeper = sleeper;
    this.clock = clock;
    this.retryPolicy = retryPolicy;
    this.throttle = throttle;
  }

  /**
   * Processes one invocation's messages, in order.
   *
   * @return the ids of the messages to deliver again (a partial batch response)
   * @throws EnvironmentException when the environment fails (the invocation fails; no day is
   *     charged)
   */
  public List<String> process(List<QueuedMessage> messages, Deadline deadline) {
    List<String> again = new ArrayList<>();
    boolean checked = false;
    for (QueuedMessage message : messages) {
      if (message.poison().isPresent()) {
        deadLetterPoison(message);
        continue;
      }
      if (!deadline.allows(SAFETY_MARGIN, clock)) {
        again.add(message.messageId());
        continue;
      }
      if (!checked) {
        retry.call(
            () -> {
              setup.verify();
              return null;
            },
            deadline);
        checked = true;
      }
      if (!processDay(message, message.message().orElseThrow(), deadline)) {
        again.add(message.messageId());
      }
    }
    return again;
  }

  /** One day's message; false when it must be delivered again. */
  private boolean processDay(QueuedMessage queued, BackfillMessage message, Deadline deadline) {
    LocalDate day = message.day();
    String request = message.requestId();
    if (retry.call(() -> requests.isCancelled(request), deadline)) {
      ended(message, RequestDayStatus.CANCELLED, "the request was cancelled");
      return true;
    }
    DayState state = retry.call(() -> attempts.dayState(day), deadline);
    if (state.isPermanentlyFailed()) {
      boolean failedByThisRequest =
          retry
              .call(() -> attempts.requestThatFailedForGood(day), deadline)
              .filter(request::equals)
              .isPresent();
      if (failedByThisRequest) {
        // This request failed the day for good, but its message came back: the dead-letter send
        // failed or the worker died before it. Send it now (SPEC §6: a day failed for good always
        // reaches the DLQ); a repeat letter is deduplicated or harmless, a redrive is idempotent.
        String reason = Objects.requireNonNullElse(state.lastError(), "failed for good");
        deadLetterDay(
            queued,
            message,
            reason,
            Objects.requireNonNullElse(state.lastErrorClass(), "Unknown"),
            state.consecutiveFailures(),
            deadline);
        ended(message, RequestDayStatus.PERMANENTLY_FAILED, reason);
        return true;
      }
      ended(
          message,
          RequestDayStatus.PERMANENTLY_FAILED,
          "failed for good before this request; `helix dlq redrive` or --retry-failed runs it again");
      return true;
    }
    AttemptReport report;
    try {
      report = attemptsOf(message, deadline);
    } catch (RunInterruptedException e) {
      return false;
    }
    if (report == null) {
      return false; // no time left for another attempt: attempts so far are in the database
    }
    if (report.endsRun()) {
      throw new EnvironmentException(
          "the worker cannot go on: "
              + report.failure().map(Failure::message).orElse(report.outcome().value()));
    }
    if (report.outcome() == Outcome.PERMANENTLY_FAILED) {
      Failure failure = report.failure().orElseThrow();
      deadLetterDay(
          queued,
          message,
          failure.message(),
          failure.errorClass(),
          report.start().attempt(),
          deadline);
      ended(message, RequestDayStatus.PERMANENTLY_FAILED, failure.message());
    } else {
      ended(message, statusOf(report), report.summary());
    }
    pauseAfterABatch(message);
    return true;
  }

  /**
   * The day's attempts within this invocation: again after a failure (short backoff), while its
   * lease is held by another run, or while its raw data keeps moving, up to the local backfill's
   * rounds. Returns the settled report, the last one once the rounds are used up, or null when the
   * deadline cut the attempts short (the day goes back to the queue).
   */
  private AttemptReport attemptsOf(BackfillMessage message, Deadline deadline) {
    AttemptReport last = null;
    int rounds = retryPolicy.maxAttempts() + 2;
    for (int round = 0; round <= rounds; round++) {
      if (round > 0) {
        Duration pause = retryPolicy.backfillDelay(round);
        if (!deadline.allows(SAFETY_MARGIN.plus(pause), clock)) {
          return null;
        }
        sleeper.sleep(pause);
      }
      last =
          aggregation.aggregate(
              message.day(), Trigger.BACKFILL, message.runOptions(), message.requestId(), deadline);
      if (settled(last)) {
        return last;
      }
    }
    return last;
  }

  /** Nothing more to try now: done, failed for good, or the run must end. */
  private static boolean settled(AttemptReport report) {
    return report.endsRun()
        || report.outcome() == Outcome.PERMANENTLY_FAILED
        || report.outcome() == Outcome.UNCHANGED
        || report.outcome() == Outcome.FENCED
        || (report.outcome() == Outcome.AGGREGATED && !movedOnACompleteDay(report));
  }

  private static boolean movedOnACompleteDay(AttemptReport report) {
    return report.rawMovedBeforeVerification()
        && report.aggregate().map(DailyAggregate::complete).orElse(true);
  }

  private static RequestDayStatus statusOf(AttemptReport report) {
    return switch (report.outcome()) {
      case UNCHANGED, FENCED -> RequestDayStatus.UNCHANGED;
      case AGGREGATED ->
          movedOnACompleteDay(report) ? RequestDayStatus.UNVERIFIED : RequestDayStatus.AGGREGATED;
      case SKIPPED_LOCKED -> RequestDayStatus.SKIPPED_LOCKED;
      default -> RequestDayStatus.FAILED;
    };
  }

  /** The day, failed for good, to the dead-letter queue with its last error. */
  private void deadLetterDay(
      QueuedMessage queued,
      BackfillMessage message,
      String reason,
      String errorClass,
      int attemptsMade,
      Deadline deadline) {
    retry.call(
        () -> {
          queue.deadLetter(
              new DeadLetter(
                  queued.body(),
                  Optional.of(message.day()),
                  Optional.of(message.requestId()),
                  reason,
                  errorClass,
                  attemptsMade,
                  queued.messageId(),
                  Optional.empty()));
          return null;
        },
        deadline);
  }

  private void deadLetterPoison(QueuedMessage message) {
    String reason = message.poison().orElseThrow();
    retry.call(
        () -> {
          queue.deadLetter(
              new DeadLetter(
                  message.body(),
                  Optional.empty(),
                  Optional.empty(),
                  reason,
                  DeadLetter.POISON,
                  0,
                  message.messageId(),
                  Optional.empty()));
          return null;
        });
  }

  private void ended(BackfillMessage message, RequestDayStatus status, String detail) {
    retry.record(
        () -> {
          requests.dayEnded(message.requestId(), message.day(), status, detail, clock.instant());
          return null;
        });
  }

  /**
   * The throttle of SPEC §7: a pause after every {@code batchSize}-th calendar day, so that a long
   * backfill cannot take the database down. A request's days are consecutive, so that is one pause
   * per batch of its days, without the worker knowing where the request began.
   */
  private void pauseAfterABatch(BackfillMessage message) {
    if ((message.day().toEpochDay() + 1) % throttle.batchSize() == 0) {
      sleeper.sleep(throttle.batchDelay());
    }
  }
}
