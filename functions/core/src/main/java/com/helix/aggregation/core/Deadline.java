package com.helix.aggregation.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a run must have stopped working: an invocation's remaining time less a safety margin, or
 * none for a command-line run. Retries never wait past it and a run starts no new day after it.
 */
public record Deadline(Instant at) {
  /** No deadline: a command-line run goes on until its work is done. */
  public static final Deadline NONE = new Deadline(Instant.MAX);

  public Deadline {
    Objects.requireNonNull(at, "at");
  }

  /** Kept back from an invocation's time: at most this, and at most a fifth of what is left. */
  static final Duration INVOCATION_MARGIN = Duration.ofSeconds(10);

  /** The deadline {@code remaining} from now. */
  public static Deadline in(Duration remaining, Clock clock) {
    return new Deadline(clock.instant().plus(remaining));
  }

  /**
   * The deadline of a function invocation with {@code remaining} time: less a margin, so that a run
   * whose retries reach the deadline still records its attempt before Lambda ends it (an attempt
   * left {@code running} is later closed as abandoned, and charged).
   */
  public static Deadline ofInvocation(Duration remaining, Clock clock) {
    Duration fifth = remaining.dividedBy(5);
    return in(
        remaining.minus(fifth.compareTo(INVOCATION_MARGIN) < 0 ? fifth : INVOCATION_MARGIN), clock);
  }

  /** The time left, zero once passed; {@link Duration} caps at a very long time for NONE. */
  public Duration remaining(Clock clock) {
    if (this.equals(NONE)) {
      return Duration.ofDays(365_000);
    }
    Duration left = Duration.between(clock.instant(), at);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether at least {@code needed} is left. */
  public boolean allows(Duration needed, Clock clock) {
    return remaining(clock).compareTo(needed) >= 0;
  }
}
