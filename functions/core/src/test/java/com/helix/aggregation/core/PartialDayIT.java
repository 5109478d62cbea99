package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §2, §3: today (UTC) is aggregated only when asked for, and then stored partial; once the day
 * has ended, the next run replaces the partial aggregate as complete even though the raw data did
 * not change (its stored hash is correct), with revision 2 and the partial content in history. The
 * clock is injected: "today" is the day of the test, not of the machine.
 */
class PartialDayIT {
  private static final LocalDate DAY = LocalDate.of(2026, 4, 2);
  private static final Clock DURING_THE_DAY = at("2026-04-02T15:00:00Z");
  private static final Clock AFTER_THE_DAY = at("2026-04-03T00:05:00Z");
  private static final RunOptions INCLUDE_TODAY = new RunOptions(false, true);

  private TestDatabase db;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2026-04-02T09:00:00Z", "acct-1", "gpt-large", 10, 1, "0.10");
    db.insertRaw(2, "2026-04-02T14:59:59.999999Z", "acct-2", "gpt-small", 20, 2, "0.05");
  }

  @Test
  void givenToday_thenRefusedUnlessIncludeTodayIsAsked_andTomorrowIsRefusedAsTheFuture() {
    try (Harness worker = new Harness(db, db.sessions(), DURING_THE_DAY, null)) {
      assertThatThrownBy(() -> worker.run(DAY))
          .isInstanceOf(InvalidDayException.class)
          .hasMessageContaining("is today (UTC) and has not ended");
      assertThatThrownBy(() -> worker.run(DAY.plusDays(1), INCLUDE_TODAY))
          .isInstanceOf(InvalidDayException.class)
          .hasMessageContaining("is in the future");
    }
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates")).isZero();
  }

  @Test
  void givenADayAggregatedWhileItWasToday_thenStoredPartial_andOnceEndedReplacedAsComplete() {
    DailyAggregate partial;
    try (Harness today = new Harness(db, db.sessions(), DURING_THE_DAY, null)) {
      AttemptReport first = today.run(DAY, INCLUDE_TODAY);

      assertThat(first.outcome()).isEqualTo(Outcome.AGGREGATED);
      partial = today.store.find(DAY).orElseThrow();
      assertThat(partial.complete()).isFalse();
      assertThat(partial.isVerified()).isTrue();
      assertThat(partial.revision()).isEqualTo(1);
      assertThat(partial.sourceHash())
          .as("the partial aggregate's hash matches the raw data: only completeness differs")
          .isEqualTo(today.store.currentSourceHash(DAY));
      assertThat(db.count("SELECT count(*) FROM {schema}.verified_daily_aggregates"))
          .as("consumers never see a partial day")
          .isZero();
      assertThat(today.run(DAY, INCLUDE_TODAY).outcome())
          .as("again while the day runs, nothing changed")
          .isEqualTo(Outcome.UNCHANGED);
      assertThat(today.store.find(DAY).orElseThrow().revision()).isEqualTo(1);
    }

    try (Harness later = new Harness(db, db.sessions(), AFTER_THE_DAY, null)) {
      AttemptReport completed = later.run(DAY);

      assertThat(completed.outcome()).isEqualTo(Outcome.AGGREGATED);
      DailyAggregate complete = later.store.find(DAY).orElseThrow();
      assertThat(complete.complete()).isTrue();
      assertThat(complete.isVerified()).isTrue();
      assertThat(complete.revision()).isEqualTo(2);
      assertThat(complete.sourceHash()).isEqualTo(partial.sourceHash());
      assertThat(
              db.query(
                  "SELECT revision, complete, source_hash, reason"
                      + " FROM {schema}.daily_aggregate_history WHERE day = ?",
                  DAY))
          .containsExactly(
              Map.of(
                  "revision",
                  1,
                  "complete",
                  false,
                  "source_hash",
                  partial.sourceHash().value(),
                  "reason",
                  "partial"));
      assertThat(db.count("SELECT count(*) FROM {schema}.verified_daily_aggregates")).isEqualTo(1);
      DayChecks.assertExact(db, DAY, DAY);
      assertThat(later.run(DAY).outcome()).as("complete now").isEqualTo(Outcome.UNCHANGED);
    }
    assertThat(db.query("SELECT outcome FROM {schema}.job_runs ORDER BY id"))
        .extracting(r -> r.get("outcome"))
        .containsExactly("aggregated", "unchanged", "aggregated", "unchanged");
  }

  @Test
  void givenAPartialDayThatGotMoreRecordsBeforeItEnded_thenReplacedAsCompleteWithThem() {
    try (Harness today = new Harness(db, db.sessions(), DURING_THE_DAY, null)) {
      assertThat(today.run(DAY, INCLUDE_TODAY).outcome()).isEqualTo(Outcome.AGGREGATED);
    }
    db.insertRaw(3, "2026-04-02T23:59:59.999999Z", "acct-1", "gpt-large", 30, 3, "0.30");

    try (Harness later = new Harness(db, db.sessions(), AFTER_THE_DAY, null)) {
      assertThat(later.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);

      DailyAggregate complete = later.store.find(DAY).orElseThrow();
      assertThat(complete.complete()).isTrue();
      assertThat(complete.revision()).isEqualTo(2);
      assertThat(complete.totals().recordCount()).isEqualTo(3);
      assertThat(complete.totals().cost()).isEqualByComparingTo("0.45");
      assertThat(db.value("SELECT reason FROM {schema}.daily_aggregate_history"))
          .isEqualTo("changed");
      DayChecks.assertExact(db, DAY, DAY);
    }
  }

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }
}
