package com.helix.aggregation.postgres;

import java.sql.SQLException;

/** Classifies PostgreSQL errors by SQLSTATE. */
final class PostgresErrors {
  static final String SERIALIZATION_FAILURE = "40001";

  private PostgresErrors() {}

  static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return "";
  }

  static boolean isSerializationFailure(Throwable e) {
    return SERIALIZATION_FAILURE.equals(sqlState(e));
  }

  /** Connection exceptions (class 08), admin/crash shutdown, cannot connect now. */
  static boolean isConnectionLoss(String state) {
    return state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03");
  }

  /** Worth retrying: connection loss, serialization failure, deadlock, too many connections. */
  static boolean isTransient(String state) {
    return isConnectionLoss(state)
        || state.equals(SERIALIZATION_FAILURE)
        || state.equals("40P01")
        || state.equals("53300");
  }

  static String describe(SQLException e) {
    String state = e.getSQLState();
    String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return state == null ? message : message + " [SQLSTATE " + state + "]";
  }
}
