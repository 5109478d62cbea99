package com.helix.aggregation.bench;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AggregateStore;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.core.schedule.ScheduledRun;
import com.helix.aggregation.core.schedule.ScheduledRunReport;
import com.helix.aggregation.core.schedule.ScheduledRunService;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.PostgresChangeLog;
import com.helix.aggregation.wiring.AggregationWiring;
import com.helix.aggregation.wiring.HelixWiring;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * The unchanged catch-up of a week (issue 12): a daily scheduled run, wired as the scheduled
 * aggregator wires it (local mode, no queue), over eight aggregated, verified and unchanged days —
 * its target and the seven days of the catch-up window before it. What is measured is the run minus
 * its target's own attempt (which every daily run makes, tracked or not): the setup check, the
 * reads that plan the run, and the catch-up itself.
 *
 * <ul>
 *   <li>untracked: every window day costs an unchanged check (one hashing scan);
 *   <li>tracked: change tracking was enabled before the days were aggregated, so each one absent
 *       from the change log is confirmed without a scan.
 * </ul>
 *
 * The tracked repetitions (three runs each) come first, then the untracked ones (one run each):
 * turning tracking off and on again would start it afresh, and no day aggregated before would be
 * trusted. The reads that plan a tracked run are also timed one by one ({@code catchup_step_*}), to
 * show where its milliseconds go.
 */
final class CatchUpBenchmark {
  /** The target and the seven days of its catch-up. */
  static final int DAYS = 8;

  static final LocalDate TARGET = BenchData.FIRST_DAY.plusDays(DAYS - 1L);

  static final int TRACKED_RUNS_PER_REPETITION = 3;
  private static final LocalDate WINDOW_FROM = BenchData.FIRST_DAY;

  private final String url;
  private final Map<String, String> environment;
  private final PrintStream progress;

  CatchUpBenchmark(String url, Map<String, String> environment, PrintStream progress) {
    this.url = url;
    this.environment = environment;
    this.progress = progress;
  }

  void run(int repeat, AggregationBenchmark.Samples samples) {
    Map<String, String> env = new HashMap<>(environment);
    // The window: the target and the seven days before it.
    env.put(HelixConfig.LOOKBACK_DAYS, String.valueOf(DAYS));
    HelixConfig config = AggregationBenchmark.benchConfig(env);
    // The run's time is 00:05 after its target, as the schedule sends it; time still flows.
    Instant scheduled = UtcDay.start(TARGET.plusDays(1)).plusSeconds(300);
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), scheduled));
    HelixWiring helix =
        new HelixWiring(
            config,
            ConnectionFactory.fromUrl(url, config.statementTimeout()),
            clock,
            new StopSignal(),
            Metrics.NONE,
            JobLog.NONE);
    try (AggregationWiring wiring = helix.aggregation()) {
      ScheduledRunService runs = helix.scheduledRuns();
      PostgresChangeLog changes = wiring.changes();
      AggregateStore store = wiring.store();
      progress.printf(
          "Catch-up: aggregating and verifying %s..%s, then %d repetition(s)...%n",
          WINDOW_FROM, TARGET, repeat);
      // Tracked: only a day aggregated after tracking began is trusted (a write before the
      // triggers was never logged), so tracking goes on before the days are aggregated.
      changes.disable();
      changes.enable();
      for (LocalDate day = WINDOW_FROM; !day.isAfter(TARGET); day = day.plusDays(1)) {
        AggregationBenchmark.forget(wiring.database(), day); // aggregated by the runs before
      }
      aggregateAll(wiring.aggregateDayService(Metrics.NONE, JobLog.NONE), store);
      for (int rep = 0; rep < repeat; rep++) {
        // A tracked run is cheap: several per repetition make a steadier median.
        for (int i = 0; i < TRACKED_RUNS_PER_REPETITION; i++) {
          RunTimes tracked = run(runs, scheduled, clock, rep, 1);
          samples.add("catchup_tracked", tracked.catchUpMs());
          samples.add("catchup_tracked_run", tracked.runMs());
          samples.add("catchup_tracked_target", tracked.targetMs());
          steps(wiring, changes, samples);
        }
        progress.printf("Catch-up repetition %d/%d tracked%n", rep + 1, repeat);
      }
      // Untracked: enabling again would start tracking afresh, so these come after.
      changes.disable();
      for (int rep = 0; rep < repeat; rep++) {
        samples.add("catchup_untracked", run(runs, scheduled, clock, rep, DAYS).catchUpMs());
        progress.printf("Catch-up repetition %d/%d untracked%n", rep + 1, repeat);
      }
    }
  }

  /** Brings every day of the window to aggregated and verified. */
  private static void aggregateAll(AggregateDayService service, AggregateStore store) {
    for (LocalDate day = WINDOW_FROM; !day.isAfter(TARGET); day = day.plusDays(1)) {
      AttemptReport report =
          service.aggregate(day, Trigger.MANUAL, RunOptions.DEFAULT, "bench-catch-up");
      if (report.outcome() != Outcome.AGGREGATED && report.outcome() != Outcome.UNCHANGED) {
        throw new IllegalStateException("could not prepare the catch-up: " + report.summary());
      }
      if (!store.find(day).orElseThrow().isVerified()) {
        throw new IllegalStateException("could not prepare the catch-up: " + day + " unverified");
      }
    }
  }

  /**
   * A daily run's wall-clock time and its target's attempt's duration (from the run's report: from
   * the attempt's start until its outcome was known, so the recording of its job run counts as the
   * run's).
   */
  private record RunTimes(double runMs, double targetMs) {
    double catchUpMs() {
      return runMs - targetMs;
    }
  }

  /** One daily run, which must make {@code attempts} attempts, all unchanged. */
  private static RunTimes run(
      ScheduledRunService runs, Instant scheduled, Clock clock, int rep, int attempts) {
    long start = System.nanoTime();
    ScheduledRunReport report =
        runs.run(
            new ScheduledRun(ScheduledRun.Mode.DAILY, scheduled, 0),
            Deadline.in(Duration.ofMinutes(15), clock),
            "bench-catch-up-" + rep);
    double runMs = (System.nanoTime() - start) / 1e6;
    if (report.attempts().size() != attempts
        || report.attempts().stream().anyMatch(a -> a.outcome() != Outcome.UNCHANGED)) {
      throw new IllegalStateException(
          "expected "
              + attempts
              + " unchanged attempt(s) in the catch-up run, got: "
              + report.summary()
              + " "
              + report.attempts().stream().map(a -> a.start().day() + " " + a.outcome()).toList());
    }
    AttemptReport target =
        report.attempts().stream()
            .filter(a -> a.start().day().equals(TARGET))
            .findFirst()
            .orElseThrow();
    return new RunTimes(runMs, target.duration().toNanos() / 1e6);
  }

  /** The reads that plan a tracked daily run, one by one. */
  private static void steps(
      AggregationWiring wiring, PostgresChangeLog changes, AggregationBenchmark.Samples samples) {
    samples.time(
        "catchup_step_setup_check",
        () -> {
          wiring.setup().verify();
          return null;
        });
    samples.time("catchup_step_day_states", () -> wiring.attempts().dayStates(WINDOW_FROM, TARGET));
    samples.time(
        "catchup_step_find_between", () -> wiring.store().findBetween(WINDOW_FROM, TARGET));
    samples.time("catchup_step_tracked_since", changes::trackedSince);
    samples.time("catchup_step_changed_days", () -> changes.changedDays(TARGET.plusDays(1)));
    samples.time("catchup_step_newest_verified", () -> wiring.store().newestVerifiedDay());
  }
}
