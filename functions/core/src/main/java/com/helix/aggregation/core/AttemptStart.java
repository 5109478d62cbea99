package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The start of an attempt, as recorded in {@code job_runs} and logged as {@code job_started}.
 *
 * @param key unique to this attempt, so that its bookkeeping is written once however often it is
 *     retried
 */
public record AttemptStart(
    String job,
    LocalDate day,
    Trigger trigger,
    int attempt,
    Long leaseToken,
    String requestId,
    Instant startedAt,
    String key) {

  public AttemptStart {
    Objects.requireNonNull(key, "key");
  }

  /** The same attempt with its number and lease token known. */
  public AttemptStart numbered(int number, Long token) {
    return new AttemptStart(job, day, trigger, number, token, requestId, startedAt, key);
  }
}
