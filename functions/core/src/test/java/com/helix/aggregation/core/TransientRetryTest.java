package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientRetryTest {
  private final ManualClock clock = ManualClock.at("2026-11-28T00:05:00Z");
  private final List<Duration> waits = new ArrayList<>();
  private final StopSignal stop = new StopSignal();
  private final TransientRetry retry =
      new TransientRetry(
          RetryPolicy.defaults(3, Duration.ofSeconds(150)),
          stop,
          d -> {
            waits.add(d);
            clock.advance(d);
          },
          new Random(1),
          clock);

  @Test
  void givenTransientErrors_thenRetriedUntilSuccess() {
    AtomicInteger calls = new AtomicInteger();

    String result =
        retry.call(
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new TransientFailureException("connection reset", null);
              }
              return "ok";
            });

    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    assertThat(waits).hasSize(2);
  }

  @Test
  void givenAnOutageShorterThanTheBudget_thenRiddenOut() {
    Instant backAt = clock.instant().plus(Duration.ofSeconds(120));

    String result =
        retry.call(
            () -> {
              if (clock.instant().isBefore(backAt)) {
                throw new TransientFailureException("connection refused", null);
              }
              return "back";
            });

    assertThat(result).isEqualTo("back");
    assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(5)));
  }

  @Test
  void givenTransientErrorsForTheWholeBudget_thenTheEnvironmentIsDeclaredUnavailable() {
    AtomicInteger calls = new AtomicInteger();
    Instant start = clock.instant();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      calls.incrementAndGet();
                      throw new TransientFailureException("down", null);
                    }))
        .isInstanceOf(EnvironmentUnavailableException.class)
        .hasMessageContaining("down")
        .hasMessageContaining("still failing after " + calls.get() + " tries")
        .hasCauseInstanceOf(TransientFailureException.class);
    Duration spent = Duration.between(start, clock.instant());
    assertThat(spent).isLessThanOrEqualTo(Duration.ofSeconds(150));
    assertThat(spent).isGreaterThan(Duration.ofSeconds(140));
  }

  @Test
  void givenADeadlineBeforeTheBudgetEnds_thenRetriesStopAtTheDeadline() {
    Deadline deadline = Deadline.in(Duration.ofSeconds(10), clock);
    Instant start = clock.instant();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new TransientFailureException("down", null);
                    },
                    deadline))
        .isInstanceOf(EnvironmentUnavailableException.class);
    assertThat(Duration.between(start, clock.instant()))
        .isLessThanOrEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void givenAStopRequest_thenWorkIsNotRetried_butBookkeepingIs() {
    AtomicInteger work = new AtomicInteger();
    AtomicInteger bookkeeping = new AtomicInteger();
    stop.request("SIGTERM");

    assertThatThrownBy(() -> retry.call(work::incrementAndGet))
        .isInstanceOf(RunInterruptedException.class);
    String recorded =
        retry.record(
            () -> {
              if (bookkeeping.incrementAndGet() < 2) {
                throw new TransientFailureException("connection reset", null);
              }
              return "recorded";
            });

    assertThat(work).hasValue(0);
    assertThat(recorded).isEqualTo("recorded");
    assertThat(bookkeeping).hasValue(2);
  }

  @Test
  void givenBookkeepingAfterAStopRequest_thenItWaitsOutItsRetries_onTheSystemClock() {
    StopSignal stopping = new StopSignal();
    TransientRetry stoppingRetry =
        new TransientRetry(
            RetryPolicy.defaults(3, Duration.ofSeconds(5)),
            stopping,
            stopping,
            new Random(1),
            Clock.systemUTC());
    stopping.request("SIGTERM");
    AtomicInteger tries = new AtomicInteger();

    String recorded =
        stoppingRetry.record(
            () -> {
              if (tries.incrementAndGet() < 2) {
                throw new TransientFailureException("connection reset", null);
              }
              return "recorded";
            });

    assertThat(recorded).isEqualTo("recorded");
    assertThat(tries).hasValue(2);
  }

  @Test
  void givenSuccessAtOnce_thenItsValue_withoutWaiting() {
    assertThat(retry.call(() -> "first", Deadline.NONE)).isEqualTo("first");
    assertThat(retry.record(() -> "recorded")).isEqualTo("recorded");
    assertThat(waits).isEmpty();
  }

  @Test
  void givenOtherErrors_thenNotRetried() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      calls.incrementAndGet();
                      throw new IllegalStateException("bad data");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(calls).hasValue(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void givenTransientErrorsEveryTime_thenTheWaitsDoubleBeforeEachNextTry_upToTheBudget() {
    List<Duration> longest = new ArrayList<>();
    ManualClock steps = ManualClock.at("2026-11-28T00:05:00Z");
    TransientRetry doubling =
        new TransientRetry(
            RetryPolicy.defaults(3, Duration.ofSeconds(10)),
            stop,
            d -> {
              longest.add(d);
              steps.advance(d);
            },
            RetryPolicyTest.jitter(true),
            steps);

    assertThatThrownBy(
            () ->
                doubling.call(
                    () -> {
                      throw new TransientFailureException("down", null);
                    }))
        .isInstanceOf(EnvironmentUnavailableException.class);

    assertThat(longest)
        .containsExactly(
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600),
            Duration.ofMillis(3200));
  }
}
