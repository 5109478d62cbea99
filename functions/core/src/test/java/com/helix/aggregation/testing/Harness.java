package com.helix.aggregation.testing;

import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AggregationSettings;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.AttemptStart;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.RetryPolicy;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.TransientRetry;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.DatabaseSetupCheck;
import com.helix.aggregation.postgres.PostgresAggregateStore;
import com.helix.aggregation.postgres.PostgresAttemptLog;
import com.helix.aggregation.postgres.PostgresLeaseProvider;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The aggregation wired to real PostgreSQL adapters for one worker: one session, its store, attempt
 * log and lease (PostgreSQL advisory lock unless another is given).
 */
public final class Harness implements AutoCloseable {
  public final TestDatabase db;
  public final Database database;
  public final PostgresAggregateStore store;
  public final PostgresAttemptLog attempts;
  public final LeaseProvider leases;
  public final AggregateDayService service;
  public final StopSignal stop = new StopSignal();
  public final List<AttemptReport> finished = new CopyOnWriteArrayList<>();

  public Harness(TestDatabase db) {
    this(db, db.sessions(), Clock.systemUTC(), null);
  }

  /**
   * @param leases builds the lease provider from this worker's session; null for the PostgreSQL
   *     lease
   */
  public Harness(
      TestDatabase db,
      ConnectionFactory sessions,
      Clock clock,
      Function<Database, LeaseProvider> leases) {
    this(db, sessions, clock, leases, RetryPolicy.defaults(3));
  }

  /**
   * @param policy the retry policy, e.g. with a short transient budget for tests of an outage that
   *     outlasts it
   */
  public Harness(
      TestDatabase db,
      ConnectionFactory sessions,
      Clock clock,
      Function<Database, LeaseProvider> leases,
      RetryPolicy policy) {
    this.db = db;
    this.database = new Database(sessions, TestDatabase.STATEMENT_TIMEOUT, stop);
    this.store = new PostgresAggregateStore(database, db.schema(), db.rawTable());
    this.attempts = new PostgresAttemptLog(database, db.schema());
    this.leases =
        leases == null
            ? new PostgresLeaseProvider(database, db.schema(), Duration.ofMinutes(16), clock)
            : leases.apply(database);
    this.service =
        new AggregateDayService(
            store,
            attempts,
            this.leases,
            Metrics.NONE,
            new JobLog() {
              @Override
              public void started(AttemptStart start) {}

              @Override
              public void finished(AttemptReport report) {
                finished.add(report);
              }
            },
            clock,
            new AggregationSettings(policy, BigDecimal.ZERO, 35),
            new TransientRetry(policy, stop, stop, new Random(), clock),
            stop,
            new DatabaseSetupCheck(database, db.schema(), db.rawTable(), this.leases));
  }

  public AttemptReport run(LocalDate day) {
    return service.aggregate(day, Trigger.MANUAL, RunOptions.DEFAULT, "test");
  }

  public AttemptReport run(LocalDate day, RunOptions options) {
    return service.aggregate(day, Trigger.MANUAL, options, "test");
  }

  @Override
  public void close() {
    database.close();
  }
}
