package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.queue.BackfillRequests;
import com.helix.aggregation.core.queue.RequestDayStatus;
import com.helix.aggregation.core.queue.RequestProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The queued backfill requests on PostgreSQL: the SQL of {@code backfill_requests} and its days.
 */
public final class PostgresBackfillRequests implements BackfillRequests {
  private final Database db;
  private final String requests;
  private final String days;

  public PostgresBackfillRequests(Database db, String schema) {
    this.db = db;
    this.requests = TableName.quote(schema) + ".backfill_requests";
    this.days = TableName.quote(schema) + ".backfill_request_days";
  }

  @Override
  public void submitted(
      BackfillRequest request, String source, List<LocalDate> queued, Instant at) {
    db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + requests
                      + " (request_id, from_day, to_day, days, force, include_today,"
                      + " retry_failed, source, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      // a retried submission after a lost acknowledgement
                      + " ON CONFLICT (request_id) DO NOTHING")) {
            ps.setString(1, request.requestId());
            ps.setObject(2, request.range().from());
            ps.setObject(3, request.range().to());
            ps.setInt(4, queued.size());
            ps.setBoolean(5, request.force());
            ps.setBoolean(6, request.includeToday());
            ps.setBoolean(7, request.retryFailed());
            ps.setString(8, source);
            ps.setObject(9, SqlValues.timestamptz(at));
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + days
                      + " (request_id, day, status, updated_at) SELECT ?, d, 'queued', ?"
                      + " FROM unnest(?::date[]) d ON CONFLICT (request_id, day) DO NOTHING")) {
            ps.setString(1, request.requestId());
            ps.setObject(2, SqlValues.timestamptz(at));
            ps.setArray(3, c.createArrayOf("date", queued.toArray()));
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean isCancelled(String requestId) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT cancelled_at IS NOT NULL FROM " + requests + " WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() && rs.getBoolean(1);
            }
          }
        });
  }

  @Override
  public Optional<Integer> cancel(String requestId, Instant at) {
    return db.inTransaction(
        Connection.TRANSACTION_READ_COMMITTED,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + requests
                      + " SET cancelled_at = coalesce(cancelled_at, ?) WHERE request_id = ?")) {
            ps.setObject(1, SqlValues.timestamptz(at));
            ps.setString(2, requestId);
            if (ps.executeUpdate() == 0) {
              return Optional.empty();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + days
                      + " SET status = 'cancelled', detail = 'the request was cancelled',"
                      + " updated_at = ? WHERE request_id = ? AND status = 'queued'")) {
            ps.setObject(1, SqlValues.timestamptz(at));
            ps.setString(2, requestId);
            return Optional.of(ps.executeUpdate());
          }
        });
  }

  @Override
  public void dayEnded(
      String requestId, LocalDate day, RequestDayStatus status, String detail, Instant at) {
    db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + days
                      + " SET status = ?, detail = ?, updated_at = ? WHERE request_id = ? AND day = ?")) {
            ps.setString(1, status.value());
            ps.setString(2, detail);
            ps.setObject(3, SqlValues.timestamptz(at));
            ps.setString(4, requestId);
            ps.setObject(5, day);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<RequestProgress> progress(String requestId) {
    return db.autocommit(
        c -> {
          LocalDate from;
          LocalDate to;
          int total;
          Instant submitted;
          Instant cancelled;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT from_day, to_day, days, submitted_at, cancelled_at FROM "
                      + requests
                      + " WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              from = rs.getObject(1, LocalDate.class);
              to = rs.getObject(2, LocalDate.class);
              total = rs.getInt(3);
              submitted = SqlValues.instant(rs, "submitted_at");
              cancelled = SqlValues.instant(rs, "cancelled_at");
            }
          }
          Map<RequestDayStatus, Integer> counts = new EnumMap<>(RequestDayStatus.class);
          Map<LocalDate, RequestDayStatus> notSucceeded = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT day, status FROM " + days + " WHERE request_id = ? ORDER BY day")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                RequestDayStatus status = RequestDayStatus.fromValue(rs.getString(2));
                counts.merge(status, 1, Integer::sum);
                if (status.isFinished() && !status.isSuccess()) {
                  notSucceeded.put(rs.getObject(1, LocalDate.class), status);
                }
              }
            }
          }
          return Optional.of(
              new RequestProgress(
                  requestId,
                  from,
                  to,
                  total,
                  counts,
                  submitted,
                  Optional.ofNullable(cancelled),
                  notSucceeded));
        });
  }
}
