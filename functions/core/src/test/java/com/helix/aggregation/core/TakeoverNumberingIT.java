package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.LeaseBackend;
import com.helix.aggregation.testing.PausePoint;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, defect 9: holder A pauses inside its transaction past its DynamoDB lease; B takes the
 * lease over and, finding A's attempt still running, counts it as abandoned. A was alive after all:
 * when it comes back (fenced), its abandonment is no longer charged and B is not numbered as if A
 * had failed.
 */
class TakeoverNumberingIT {
  private static final LocalDate DAY = LocalDate.of(2025, 9, 19);
  private static final Duration SHORT_LEASE = Duration.ofSeconds(3);

  @Test
  void givenAPausedHolderThatComesBackAfterATakeover_thenNeitherIsNumberedAsAFailure()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    LeaseBackend.Setup leases = LeaseBackend.DYNAMODB.setUp(db, SHORT_LEASE);
    db.insertRaw(1, "2025-09-19T08:00:00Z", "acct-1", "gpt-large", 100, 10, "1.10");
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "takeover");
        Harness a =
            new Harness(
                db,
                db.sessions(pause.url(), System.getProperty("helix.test.sessionZone", "UTC")),
                Clock.systemUTC(),
                leases.providers());
        Harness b = new Harness(db, db.sessions(), Clock.systemUTC(), leases.providers())) {
      CompletableFuture<AttemptReport> aRun = CompletableFuture.supplyAsync(() -> a.run(DAY));
      pause.awaitPaused(Duration.ofSeconds(30));
      Thread.sleep(SHORT_LEASE.plusMillis(500).toMillis()); // A's lease expires while it waits
      db.insertRaw(2, "2025-09-19T09:00:00Z", "acct-2", "gpt-small", 200, 20, "0.20");

      AttemptReport bRun = b.run(DAY);
      pause.release();
      AttemptReport aResult = aRun.get(30, TimeUnit.SECONDS);

      assertThat(bRun.outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(aResult.outcome()).isEqualTo(Outcome.FENCED);
      assertThat(db.query("SELECT attempt, outcome FROM {schema}.job_runs ORDER BY id"))
          .extracting(r -> r.get("attempt") + " " + r.get("outcome"))
          .containsExactly("1 fenced", "1 aggregated");
      assertThat(db.value("SELECT consecutive_failures FROM {schema}.day_states")).isEqualTo(0);
    }
    DayChecks.assertComputedOnceAndExact(db, DAY, DAY);
  }
}
