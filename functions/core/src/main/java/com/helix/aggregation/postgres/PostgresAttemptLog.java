package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.AttemptLog;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.AttemptStart;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.DayState;
import com.helix.aggregation.core.Failure;
import com.helix.aggregation.core.Outcome;
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
import java.util.function.UnaryOperator;

/** The attempt log on PostgreSQL: the SQL of {@code job_runs} and {@code day_states}. */
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
  public long started(AttemptStart start) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + jobRuns
                      + " (job, day, trigger, outcome, attempt, started_at, lease_token,"
                      + " request_id) VALUES (?, ?, ?, 'running', ?, ?, ?, ?) RETURNING id")) {
            bindStart(ps, start);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public void finished(AttemptReport report) {
    db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobRuns
                      + " SET outcome = ?, finished_at = ?, duration_ms = ?, source_hash = ?,"
                      + " record_count = ?, error_class = ?, error_message = ?, revision = ?,"
                      + " verification = ?, attempt = ? WHERE id = ?")) {
            bindResult(ps, 1, report);
            ps.setInt(10, report.start().attempt());
            ps.setLong(11, report.runId());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public long recordEnded(AttemptReport report) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + jobRuns
                      + " (job, day, trigger, attempt, started_at, lease_token, request_id,"
                      + " outcome, finished_at, duration_ms, source_hash, record_count,"
                      + " error_class, error_message, revision, verification)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            bindStart(ps, report.start());
            bindResult(ps, 8, report);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public DayState updateDayState(LocalDate day, UnaryOperator<DayState> change) {
    return db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          // Ensure the row exists, then lock it: concurrent updates of one day queue up here.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO " + dayStates + " (day) VALUES (?) ON CONFLICT (day) DO NOTHING")) {
            ps.setObject(1, day);
            ps.executeUpdate();
          }
          DayState current;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + STATE_COLUMNS + " FROM " + dayStates + " WHERE day = ? FOR UPDATE")) {
            ps.setObject(1, day);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              current = state(rs);
            }
          }
          DayState updated = change.apply(current);
          saveState(c, updated);
          return updated;
        });
  }

  @Override
  public int closeAbandoned(String job, LocalDate day, Instant now) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobRuns
                      + " SET outcome = 'failed', finished_at = ?, error_class = ?,"
                      + " error_message = ? WHERE job = ? AND day = ? AND outcome = 'running'")) {
            ps.setObject(1, SqlValues.timestamptz(now));
            ps.setString(2, Failure.ATTEMPT_ABANDONED);
            ps.setString(
                3,
                "never finished: its process died (killed, timed out or out of memory); found by"
                    + " a later attempt holding the day's lease");
            ps.setString(4, job);
            ps.setObject(5, day);
            return ps.executeUpdate();
          }
        });
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

  /** Binds job, day, trigger, attempt, started_at, lease_token, request_id: parameters 1-7. */
  private static void bindStart(PreparedStatement ps, AttemptStart start) throws SQLException {
    ps.setString(1, start.job());
    ps.setObject(2, start.day());
    ps.setString(3, start.trigger().value());
    ps.setInt(4, start.attempt());
    ps.setObject(5, SqlValues.timestamptz(start.startedAt()));
    setNullableLong(ps, 6, start.leaseToken());
    ps.setString(7, start.requestId());
  }

  /** Binds outcome, finished_at, duration and results: nine parameters from {@code index}. */
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
