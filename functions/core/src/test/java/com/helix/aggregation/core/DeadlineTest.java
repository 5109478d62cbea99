package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T00:05:00Z"), ZoneOffset.UTC);

  @Test
  void givenADeadlineAhead_thenItsRemainingTimeAndWhatItAllows() {
    Deadline deadline = Deadline.in(Duration.ofSeconds(90), clock);

    assertThat(deadline.at()).isEqualTo(Instant.parse("2026-11-28T00:06:30Z"));
    assertThat(deadline.remaining(clock)).isEqualTo(Duration.ofSeconds(90));
    assertThat(deadline.allows(Duration.ofSeconds(90), clock)).isTrue();
    assertThat(deadline.allows(Duration.ofSeconds(91), clock)).isFalse();
  }

  @Test
  void givenAPassedDeadline_thenNothingRemains_andNothingIsAllowed() {
    Deadline passed = Deadline.in(Duration.ofSeconds(-5), clock);

    assertThat(passed.remaining(clock)).isEqualTo(Duration.ZERO);
    assertThat(passed.allows(Duration.ofMillis(1), clock)).isFalse();
    assertThat(passed.allows(Duration.ZERO, clock)).isTrue();
  }

  @Test
  void givenNoDeadline_thenItAllowsAnything() {
    assertThat(Deadline.NONE.remaining(clock)).isGreaterThan(Duration.ofDays(365 * 900));
    assertThat(Deadline.NONE.allows(Duration.ofDays(365), clock)).isTrue();
  }

  @Test
  void givenAnInvocation_thenItsDeadlineKeepsTimeToRecordTheAttempt() {
    assertThat(Deadline.ofInvocation(Duration.ofMinutes(15), clock).remaining(clock))
        .as("ten seconds of a long invocation")
        .isEqualTo(Duration.ofSeconds(890));
    assertThat(Deadline.ofInvocation(Duration.ofSeconds(50), clock).remaining(clock))
        .isEqualTo(Duration.ofSeconds(40));
    assertThat(Deadline.ofInvocation(Duration.ofSeconds(20), clock).remaining(clock))
        .as("a fifth of a short one")
        .isEqualTo(Duration.ofSeconds(16));
  }
}
