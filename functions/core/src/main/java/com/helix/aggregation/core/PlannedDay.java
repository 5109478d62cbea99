package com.helix.aggregation.core;

import java.time.LocalDate;

/** One day of a backfill plan and why it is there. */
public record PlannedDay(LocalDate day, DayStatus status) {}
