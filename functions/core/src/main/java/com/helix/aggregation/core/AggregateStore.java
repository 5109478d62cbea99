package com.helix.aggregation.core;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Port: where aggregates are computed from the raw records and stored. */
public interface AggregateStore {

  /**
   * The core operation of SPEC §3 for one day, in one {@code REPEATABLE READ} transaction: read the
   * stored aggregate and the raw data, compare the source hash, and create, leave alone, or replace
   * header and breakdown in place (revision + 1, the previous content into history). A crash leaves
   * the old state or the new, never a mix.
   *
   * @throws FencedException when another writer committed a result for this day after this
   *     transaction's snapshot was taken; nothing is written
   */
  WriteResult aggregate(LocalDate day, WriteRequest request);

  /**
   * Verifies the stored aggregate of a day by an independent read of the raw table after commit
   * ({@code count(*)} and sums must equal the stored totals, the breakdown must sum to the header)
   * and marks it {@code verified} or {@code unverified}.
   *
   * @throws IllegalStateException when the day has no aggregate
   */
  VerificationReport verify(LocalDate day, BigDecimal costTolerance);

  Optional<DailyAggregate> find(LocalDate day);

  /** The stored aggregates of the inclusive range, oldest first. */
  List<DailyAggregate> findBetween(LocalDate from, LocalDate to);

  /** The newest day whose aggregate is verified and complete, if any (one index lookup). */
  Optional<LocalDate> newestVerifiedDay();

  /** The source hash the day's raw data has now, by an algorithm (a read-only scan of that day). */
  SourceHash currentSourceHash(LocalDate day, SourceHash.Algorithm algorithm);

  /** The source hash the day's raw data has now, as a new aggregate would store it. */
  default SourceHash currentSourceHash(LocalDate day) {
    return currentSourceHash(day, SourceHash.Algorithm.CURRENT);
  }

  /** Does the day's raw data still hash to a stored hash, by that hash's own algorithm? */
  default boolean stillMatches(LocalDate day, SourceHash stored) {
    return stored.equals(currentSourceHash(day, stored.algorithm()));
  }
}
