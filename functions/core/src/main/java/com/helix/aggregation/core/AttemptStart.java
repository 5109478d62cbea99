package com.helix.aggregation.core;

import java.time.Instant;
import java.time.LocalDate;

/** The start of an attempt, as recorded in {@code job_runs} and logged as {@code job_started}. */
public record AttemptStart(
    String job,
    LocalDate day,
    Trigger trigger,
    int attempt,
    Long leaseToken,
    String requestId,
    Instant startedAt) {}
