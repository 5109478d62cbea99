package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.testing.UtcDays;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled aggregator as an operator tries it with {@code helix invoke}, after a ten-day
 * outage: the schedule's own input file (its context attributes filled as a delivery now would fill
 * them) restores the last seven days in the run, or through the backfill queue when the time budget
 * is short; {@code helix status} lists the three older gaps with the command that restores them.
 */
class ScheduledRunCliIT {
  private static final LocalDate YESTERDAY = UtcDays.yesterdayForAtLeast(Duration.ofMinutes(2));

  private TestDatabase db;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(YESTERDAY.minusDays(19), 20, 300, 4);
    }
    env = new HashMap<>(db.environment());
    env.putAll(MotoFixture.createBackfillQueues().environment());
    env.put("HELIX_BATCH_DELAY_MS", "0");
    // before the outage: ten days aggregated; the ten days up to yesterday never were
    CliRun before =
        CliRun.of(
            env,
            "backfill",
            "--from",
            YESTERDAY.minusDays(19).toString(),
            "--to",
            YESTERDAY.minusDays(10).toString(),
            "--local");
    assertThat(before.exitCode()).as(before.out() + before.err()).isZero();
  }

  @Test
  void givenATenDayOutage_thenTheDailyRunRestoresTheWindow_andStatusListsTheOlderGaps() {
    try (HelixProcess invoke = invokeDaily()) {
      assertThat(invoke.waitFor(180)).as(invoke.out() + invoke.err()).isZero();
      assertThat(invoke.out()).contains("\"targetDay\" : \"" + YESTERDAY + "\"");
    }

    DayChecks.assertComputedOnceAndExact(db, YESTERDAY.minusDays(6), YESTERDAY);
    CliRun status = CliRun.of(env, "status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("Freshness: yesterday (" + YESTERDAY + ") is verified")
        .contains("Gaps older than the window")
        .contains(
            YESTERDAY.minusDays(9)
                + ".."
                + YESTERDAY.minusDays(7)
                + " (3 days): helix backfill --from "
                + YESTERDAY.minusDays(9)
                + " --to "
                + YESTERDAY.minusDays(7)
                + "\n");
  }

  @Test
  void givenAShortTimeout_thenYesterdayInline_andTheRestOfTheWindowGoesToTheQueue() {
    try (HelixProcess invoke = invokeDaily("--timeout", "15")) {
      assertThat(invoke.waitFor(180)).as(invoke.out() + invoke.err()).isZero();
      assertThat(invoke.out()).contains("\"queuedAs\" : \"catch-up-");
    }

    assertThat(
            db.value("SELECT verification FROM {schema}.daily_aggregates WHERE day = ?", YESTERDAY))
        .isEqualTo("verified");
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.backfill_request_days WHERE status = 'queued'"
                    + " AND day BETWEEN ? AND ?",
                YESTERDAY.minusDays(6),
                YESTERDAY.minusDays(1)))
        .isEqualTo(6);
    CliRun status = CliRun.of(env, "status");
    assertThat(status.out()).contains("Backfill queue: 6 waiting");
  }

  private HelixProcess invokeDaily(String... more) {
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.putAll(MotoFixture.environment());
    Path daily =
        Path.of(System.getProperty("helix.root", ".."))
            .resolve("events/scheduled-aggregator/daily.json");
    String[] args = new String[4 + more.length];
    args[0] = "invoke";
    args[1] = "scheduled-aggregator";
    args[2] = "--event";
    args[3] = daily.toString();
    System.arraycopy(more, 0, args, 4, more.length);
    return HelixProcess.start(processEnv, args);
  }
}
