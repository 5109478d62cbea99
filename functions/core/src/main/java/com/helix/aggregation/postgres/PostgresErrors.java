package com.helix.aggregation.postgres;

import java.sql.SQLException;
import java.util.Set;

/**
 * Classifies PostgreSQL errors by SQLSTATE (SPEC §6): transient (retried inside the attempt), of
 * the environment (fail the run, never charged to a day), or of the day itself (everything else,
 * e.g. a numeric overflow in its rows or a statement timeout on its size).
 */
final class PostgresErrors {
  static final String SERIALIZATION_FAILURE = "40001";
  static final String QUERY_CANCELED = "57014";

  /**
   * The setup, not the day: a missing table, column, schema, function or privilege, failed
   * authentication, a missing database, a full disk or exhausted memory of the server.
   */
  private static final Set<String> ENVIRONMENT =
      Set.of(
          "42P01", // undefined_table
          "42703", // undefined_column
          "3F000", // invalid_schema_name
          "42883", // undefined_function
          "42501", // insufficient_privilege
          "28000", // invalid_authorization_specification
          "28P01", // invalid_password
          "3D000", // invalid_catalog_name
          "53100", // disk_full
          "53200", // out_of_memory
          "58030"); // io_error

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

  /**
   * Worth retrying: connection loss, serialization failure, deadlock, too many connections, and a
   * read-only server (a failover whose new primary is not yet behind the endpoint).
   */
  static boolean isTransient(String state) {
    return isConnectionLoss(state)
        || state.equals(SERIALIZATION_FAILURE)
        || state.equals("40P01")
        || state.equals("53300")
        || state.equals("25006");
  }

  /** An error of the environment (see {@link #ENVIRONMENT}). */
  static boolean isEnvironment(String state) {
    return ENVIRONMENT.contains(state);
  }

  static String describe(SQLException e) {
    String state = e.getSQLState();
    String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return state == null ? message : message + " [SQLSTATE " + state + "]";
  }
}
