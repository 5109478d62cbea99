package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientRetryTest {
  private final List<Duration> waits = new ArrayList<>();
  private final TransientRetry retry =
      new TransientRetry(RetryPolicy.defaults(3), waits::add, new Random(1));

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
  void givenTransientErrorsEveryTime_thenGivesUpAfterTheConfiguredTries() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      calls.incrementAndGet();
                      throw new TransientFailureException("down", null);
                    }))
        .isInstanceOf(TransientFailureException.class);
    assertThat(calls).hasValue(RetryPolicy.defaults(3).transientTries());
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
  void givenTransientErrorsEveryTime_thenTheWaitsDoubleBeforeEachNextTry() {
    List<Duration> longest = new ArrayList<>();
    TransientRetry retry =
        new TransientRetry(RetryPolicy.defaults(3), longest::add, RetryPolicyTest.jitter(true));

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new TransientFailureException("down", null);
                    }))
        .isInstanceOf(TransientFailureException.class);

    assertThat(longest)
        .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
  }
}
