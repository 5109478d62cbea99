package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.AttemptLog;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.AttemptStart;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.DayState;
import com.helix.aggregation.core.Failure;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The attempt log on PostgreSQL: the SQL of {@code job_runs} and {@code day_states}. Each write is
 * one transaction that is safe to retry: a job run is inserted once per attempt key, and a day's
 * retry state changes only together with its job run's move out of {@code running}.
 */
public final class PostgresAttemptLog implements AttemptLog {
  private static final String STATE_COLUMNS =
      "day, consecutive_failures, last_error_class, last_error, last_failure_at,"
          + " next_attempt_at, permanently_failed_at, last_success_at";

  private final Database db;
  private final String jobRuns;
  private final String dayStates;

  public PostgresAttemptLog(Database db, String schema) {
    this.db = db;
    this.jobRuns = TableName.quote(schema) + ".job_runs";
    this.dayStates = TableName.quote(schema) + ".day_states";
  }

  @Override
  public DayState dayState(LocalDate day) {
    return dayStates(day, day).getOrDefault(day, DayState.fresh(day));
  }

  @Override
  public Map<LocalDate, DayState> dayStates(LocalDate from, LocalDate to) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + STATE_COLUMNS
                      + " FROM "
                      + dayStates
                      + " WHERE day BETWEEN ? AND ? ORDER BY day")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            Map<LocalDate, DayState> states = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                DayState state = state(rs);
                states.put(state.day(), state);
              }
            }
            return states;
          }
        });
  }

  @Override
  public Optional<String> requestThatFailedForGood(LocalDate day) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT r.request_id FROM "
                      + jobRuns
                      + " r JOIN "
                      + dayStates
                      + " s ON s.day = r.day"
                      + " WHERE r.day = ? AND r.outcome = 'permanently-failed'"
                      + " AND s.permanently_failed_at IS NOT NULL"
                      + " ORDER BY r.id DESC LIMIT 1")) {
            ps.setObject(1, day);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Begun begin(AttemptStart start, Instant now, RetryPolicy policy) {
    return db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          // Recorded first, numbered below once the abandoned attempts are counted.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + jobRuns
                      + " (job, day, trigger, attempt, started_at, lease_token, request_id,"
                      + " attempt_key, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running')"
                      + " ON CONFLICT (attempt_key) DO NOTHING")) {
            bindStart(ps, start);
            ps.executeUpdate();
          }
          int abandoned;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobRuns
                      + " SET outcome = 'failed', finished_at = ?, error_class = ?,"
                      + " error_message = ?, counts_against_day = true"
                      + " WHERE job = ? AND day = ? AND outcome = 'running'"
                      + " AND attempt_key IS DISTINCT FROM ?"
                      // Fencing: only attempts of older leases. A holder that lost its lease
                      // while paused must never close the attempt of the one that took it over.
                      + " AND (lease_token IS NULL OR lease_token < ?)")) {
            ps.setObject(1, SqlValues.timestamptz(now));
            ps.setString(2, Failure.ATTEMPT_ABANDONED);
            ps.setString(
                3,
                "never finished: its process died (killed, timed out or out of memory); found by"
                    + " a later attempt holding the day's lease");
            ps.setString(4, start.job());
            ps.setObject(5, start.day());
            ps.setString(6, start.key());
            ps.setLong(7, start.leaseToken());
            abandoned = ps.executeUpdate();
          }
          DayState state = lockedState(c, start.day());
          if (abandoned > 0) {
            state = state.afterFailures(abandoned, now, Failure.abandoned(abandoned), policy);
            saveState(c, state);
          }
          long runId = runId(c, start.key());
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE " + jobRuns + " SET attempt = ? WHERE id = ?")) {
            ps.setInt(1, state.nextAttemptNumber());
            ps.setLong(2, runId);
            ps.executeUpdate();
          }
          return new Begun(runId, state);
        });
  }

  @Override
  public AttemptReport finish(
      long runId,
      UnaryOperator<DayState> change,
      Function<DayState, AttemptReport> report,
      RetryPolicy policy) {
    return db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          String outcome;
          String errorClass;
          LocalDate day;
          int attempt;
          long leaseToken;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT outcome, error_class, day, attempt, lease_token FROM "
                      + jobRuns
                      + " WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              outcome = rs.getString(1);
              errorClass = rs.getString(2);
              day = rs.getObject(3, LocalDate.class);
              attempt = rs.getInt(4);
              leaseToken = rs.getLong(5);
            }
          }
          if (outcome.equals(Outcome.RUNNING.value())) {
            DayState before = lockedState(c, day);
            saveState(c, change.apply(before));
            AttemptReport ended = report.apply(before);
            updateRun(c, ended);
            return ended;
          }
          if (outcome.equals(Outcome.FAILED.value())
              && Failure.ATTEMPT_ABANDONED.equals(errorClass)) {
            // Closed as abandoned by an attempt that took over after our lease expired, yet we
            // were alive: our outcome stands, our abandonment is no longer charged, and the
            // attempts numbered after that charge are numbered without it. Our own change is not
            // applied: we no longer held the lease.
            saveState(c, lockedState(c, day).withoutAbandonedCharge(policy));
            renumberAfter(c, runId, day, leaseToken);
            AttemptReport ended = report.apply(null);
            updateRun(c, ended);
            return ended;
          }
          // Already recorded: this is a retry after a commit whose acknowledgement was lost.
          return report.apply(null).asRecorded(attempt, Outcome.fromValue(outcome));
        });
  }

  /**
   * The attempts that took the day's lease after an abandoned one and up to the next success were
   * numbered counting it; it was not a failure after all.
   */
  private void renumberAfter(Connection c, long runId, LocalDate day, long leaseToken)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + jobRuns
                + " SET attempt = attempt - 1 WHERE day = ? AND id > ? AND attempt > 1"
                + " AND lease_token > ? AND id <= coalesce((SELECT min(id) FROM "
                + jobRuns
                + " WHERE day = ? AND id > ? AND outcome IN ('aggregated', 'unchanged')),"
                + " 9223372036854775807)")) {
      ps.setObject(1, day);
      ps.setLong(2, runId);
      ps.setLong(3, leaseToken);
      ps.setObject(4, day);
      ps.setLong(5, runId);
      ps.executeUpdate();
    }
  }

  @Override
  public long recordEnded(AttemptReport report) {
    return db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + jobRuns
                      + " AS r (job, day, trigger, attempt, started_at, lease_token, request_id,"
                      + " attempt_key, outcome, finished_at, duration_ms, source_hash,"
                      + " record_count, error_class, error_message, revision, verification,"
                      + " counts_against_day)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      // A begin whose commit was acknowledged to nobody left the attempt running:
                      // it ends here instead of being found abandoned later.
                      + " ON CONFLICT (attempt_key) DO UPDATE SET outcome = excluded.outcome,"
                      + " finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,"
                      + " error_class = excluded.error_class,"
                      + " error_message = excluded.error_message,"
                      + " counts_against_day = excluded.counts_against_day"
                      + " WHERE r.outcome = 'running'")) {
            bindStart(ps, report.start());
            bindResult(ps, 9, report);
            ps.executeUpdate();
          }
          return runId(c, report.start().key());
        });
  }

  private void updateRun(Connection c, AttemptReport report) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + jobRuns
                + " SET outcome = ?, finished_at = ?, duration_ms = ?, source_hash = ?,"
                + " record_count = ?, error_class = ?, error_message = ?, revision = ?,"
                + " verification = ?, counts_against_day = ?, attempt = ?, lease_token = ?"
                + " WHERE id = ?")) {
      bindResult(ps, 1, report);
      ps.setInt(11, report.start().attempt());
      setNullableLong(ps, 12, report.start().leaseToken());
      ps.setLong(13, report.runId());
      ps.executeUpdate();
    }
  }

  private long runId(Connection c, String attemptKey) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM " + jobRuns + " WHERE attempt_key = ?")) {
      ps.setString(1, attemptKey);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The day's retry state, its row created if missing and locked: changes of a day queue here. */
  private DayState lockedState(Connection c, LocalDate day) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO " + dayStates + " (day) VALUES (?) ON CONFLICT (day) DO NOTHING")) {
      ps.setObject(1, day);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + STATE_COLUMNS + " FROM " + dayStates + " WHERE day = ? FOR UPDATE")) {
      ps.setObject(1, day);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return state(rs);
      }
    }
  }

  @Override
  public int resetFailures(LocalDate from, LocalDate to) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + dayStates
                      + " SET consecutive_failures = 0, next_attempt_at = NULL,"
                      + " permanently_failed_at = NULL"
                      + " WHERE day BETWEEN ? AND ? AND permanently_failed_at IS NOT NULL")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Binds job, day, trigger, attempt, started_at, lease_token, request_id, attempt_key: parameters
   * 1-8.
   */
  private static void bindStart(PreparedStatement ps, AttemptStart start) throws SQLException {
    ps.setString(1, start.job());
    ps.setObject(2, start.day());
    ps.setString(3, start.trigger().value());
    ps.setInt(4, start.attempt());
    ps.setObject(5, SqlValues.timestamptz(start.startedAt()));
    setNullableLong(ps, 6, start.leaseToken());
    ps.setString(7, start.requestId());
    ps.setString(8, start.key());
  }

  /**
   * Binds outcome, finished_at, duration, results and whether it counts against the day: ten
   * parameters from {@code index}.
   */
  private static void bindResult(PreparedStatement ps, int index, AttemptReport report)
      throws SQLException {
    Optional<DailyAggregate> aggregate = report.aggregate();
    Optional<Failure> failure = report.failure();
    ps.setString(index, report.outcome().value());
    ps.setObject(
        index + 1, SqlValues.timestamptz(report.start().startedAt().plus(report.duration())));
    ps.setLong(index + 2, report.duration().toMillis());
    ps.setString(index + 3, aggregate.map(a -> a.sourceHash().value()).orElse(null));
    setNullableLong(ps, index + 4, aggregate.map(a -> a.totals().recordCount()).orElse(null));
    ps.setString(index + 5, failure.map(Failure::errorClass).orElse(null));
    ps.setString(index + 6, failure.map(Failure::causeChain).orElse(null));
    if (aggregate.isPresent() && report.outcome() != Outcome.FAILED) {
      ps.setInt(index + 7, aggregate.get().revision());
    } else {
      ps.setNull(index + 7, Types.INTEGER);
    }
    ps.setString(
        index + 8,
        report
            .verification()
            .map(v -> v.passed() ? "verified" : "unverified")
            .orElse(aggregate.map(a -> a.verification().value()).orElse(null)));
    if (report.outcome().isFailure()) {
      ps.setBoolean(index + 9, report.countsAgainstDay());
    } else {
      ps.setNull(index + 9, Types.BOOLEAN);
    }
  }

  private static DayState state(ResultSet rs) throws SQLException {
    return new DayState(
        rs.getObject("day", LocalDate.class),
        rs.getInt("consecutive_failures"),
        rs.getString("last_error_class"),
        rs.getString("last_error"),
        SqlValues.instant(rs, "last_failure_at"),
        SqlValues.instant(rs, "next_attempt_at"),
        SqlValues.instant(rs, "permanently_failed_at"),
        SqlValues.instant(rs, "last_success_at"));
  }

  private void saveState(Connection c, DayState state) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + dayStates
                + " ("
                + STATE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET"
                + " consecutive_failures = excluded.consecutive_failures,"
                + " last_error_class = excluded.last_error_class,"
                + " last_error = excluded.last_error,"
                + " last_failure_at = excluded.last_failure_at,"
                + " next_attempt_at = excluded.next_attempt_at,"
                + " permanently_failed_at = excluded.permanently_failed_at,"
                + " last_success_at = excluded.last_success_at")) {
      ps.setObject(1, state.day());
      ps.setInt(2, state.consecutiveFailures());
      ps.setString(3, state.lastErrorClass());
      ps.setString(4, state.lastError());
      ps.setObject(5, SqlValues.timestamptz(state.lastFailureAt()));
      ps.setObject(6, SqlValues.timestamptz(state.nextAttemptAt()));
      ps.setObject(7, SqlValues.timestamptz(state.permanentlyFailedAt()));
      ps.setObject(8, SqlValues.timestamptz(state.lastSuccessAt()));
      ps.executeUpdate();
    }
  }

  private static void setNullableLong(PreparedStatement ps, int index, Long value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
