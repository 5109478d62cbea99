package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.LeaseBackend;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.testing.WorkerProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4 under contention: 16 threads, and separately 4 OS processes, try the same day at once, 50
 * rounds each, with each lease adapter. Exactly one computes per round; the others are {@code
 * skipped-locked} or find it {@code unchanged}; no day has duplicate or partial rows.
 */
class LeaseRaceIT {
  private static final int ROUNDS = 50;
  private static final LocalDate FIRST = LocalDate.of(2025, 5, 1);
  private static final LocalDate LAST = FIRST.plusDays(ROUNDS - 1);

  @ParameterizedTest
  @EnumSource(LeaseBackend.class)
  void givenSixteenThreadsPerRound_thenExactlyOneComputesEachDay(LeaseBackend backend)
      throws Exception {
    TestDatabase db = dataForEveryRound();
    LeaseBackend.Setup leases = backend.setUp(db, Duration.ofSeconds(60));
    List<Harness> workers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Tally tally = new Tally();
    try {
      for (int i = 0; i < 16; i++) {
        workers.add(new Harness(db, db.sessions(), Clock.systemUTC(), leases.providers()));
      }
      for (int round = 0; round < ROUNDS; round++) {
        LocalDate day = FIRST.plusDays(round);
        CyclicBarrier start = new CyclicBarrier(workers.size());
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (Harness worker : workers) {
          outcomes.add(
              pool.submit(
                  () -> {
                    start.await();
                    return worker.run(day).outcome();
                  }));
        }
        List<Outcome> roundOutcomes = new ArrayList<>();
        for (Future<Outcome> f : outcomes) {
          roundOutcomes.add(f.get());
        }
        assertOneWinner(day, roundOutcomes, tally);
      }
    } finally {
      pool.shutdownNow();
      workers.forEach(Harness::close);
    }
    DayChecks.assertComputedOnceAndExact(db, FIRST, LAST);
    report(backend, "16 threads", tally);
  }

  @ParameterizedTest
  @EnumSource(LeaseBackend.class)
  void givenFourProcessesPerRound_thenExactlyOneComputesEachDay(LeaseBackend backend)
      throws Exception {
    TestDatabase db = dataForEveryRound();
    LeaseBackend.Setup leases = backend.setUp(db, Duration.ofSeconds(60));
    Tally tally = new Tally();
    try (WorkerProcesses processes = new WorkerProcesses(4, leases.environment(db.url()))) {
      for (int round = 0; round < ROUNDS; round++) {
        LocalDate day = FIRST.plusDays(round);
        processes.sendAll("run " + day);
        List<Outcome> outcomes = new ArrayList<>();
        for (int p = 0; p < processes.size(); p++) {
          String answer = processes.read(p);
          assertThat(answer).startsWith(day + " ");
          outcomes.add(Outcome.fromValue(answer.substring(answer.indexOf(' ') + 1)));
        }
        assertOneWinner(day, outcomes, tally);
      }
    }
    DayChecks.assertComputedOnceAndExact(db, FIRST, LAST);
    report(backend, "4 processes", tally);
  }

  private static TestDatabase dataForEveryRound() {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, ROUNDS, 2000, 7);
    }
    return db;
  }

  /** Counts the round into the tally first, so the report shows what was measured. */
  private static void assertOneWinner(LocalDate day, List<Outcome> outcomes, Tally tally) {
    tally.count(outcomes);
    assertThat(outcomes).as(day.toString()).containsOnlyOnce(Outcome.AGGREGATED);
    assertThat(outcomes)
        .as(day.toString())
        .isSubsetOf(Outcome.AGGREGATED, Outcome.SKIPPED_LOCKED, Outcome.UNCHANGED);
  }

  /** The outcomes of all rounds, and the fewest and most winners one round had. */
  private static final class Tally {
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final IntSummaryStatistics winnersPerRound = new IntSummaryStatistics();

    void count(List<Outcome> round) {
      round.forEach(o -> outcomes.merge(o, 1, Integer::sum));
      winnersPerRound.accept((int) round.stream().filter(o -> o == Outcome.AGGREGATED).count());
    }

    int get(Outcome outcome) {
      return outcomes.getOrDefault(outcome, 0);
    }
  }

  /** Prints the figures (and keeps them in target/) for the closing note. */
  private static void report(LeaseBackend backend, String contenders, Tally tally)
      throws IOException {
    String line =
        String.format(
            "lease race: %s lease, %s, %d rounds: %d..%d winner(s) per round (%d computed in all),"
                + " %d skipped-locked, %d unchanged%n",
            backend.name().toLowerCase(java.util.Locale.ROOT),
            contenders,
            tally.winnersPerRound.getCount(),
            tally.winnersPerRound.getMin(),
            tally.winnersPerRound.getMax(),
            tally.get(Outcome.AGGREGATED),
            tally.get(Outcome.SKIPPED_LOCKED),
            tally.get(Outcome.UNCHANGED));
    System.out.print(line);
    Files.writeString(
        Path.of("target", "lease-race-report.txt"),
        line,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
