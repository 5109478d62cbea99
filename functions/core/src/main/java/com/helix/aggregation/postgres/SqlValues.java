package com.helix.aggregation.postgres;

import com.helix.aggregation.core.UtcDay;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How Java values cross JDBC here: instants as UTC {@code timestamptz}, a day as its half-open UTC
 * interval. Nothing depends on the JVM's or the session's time zone.
 */
public final class SqlValues {
  private SqlValues() {}

  /** An instant as a {@code timestamptz} parameter (null stays null). */
  public static OffsetDateTime timestamptz(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Binds {@code [day 00:00Z, day+1 00:00Z)} as parameters {@code index} and {@code index + 1}. */
  public static void bindDayRange(PreparedStatement ps, int index, LocalDate day)
      throws SQLException {
    ps.setObject(index, timestamptz(UtcDay.start(day)));
    ps.setObject(index + 1, timestamptz(UtcDay.end(day)));
  }

  /**
   * {@code column >= D 00:00Z AND column < D+1 00:00Z} with the bounds as literals, for statements
   * that take no parameters; safe: a {@link LocalDate} prints only digits and dashes.
   */
  public static String dayRangeLiteral(String column, LocalDate day) {
    return column
        + " >= '"
        + UtcDay.start(day)
        + "'::timestamptz AND "
        + column
        + " < '"
        + UtcDay.end(day)
        + "'::timestamptz";
  }

  /** A {@code timestamptz} column as an instant (null stays null). */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
