package com.helix.aggregation.config;

import java.util.Objects;

/**
 * Where and as whom to connect to the database, as a secret holds it (host, port, database, user,
 * password). Its {@link #toString()} never shows the password.
 */
public record DatabaseCredentials(String jdbcUrl, String user, String password) {
  public DatabaseCredentials {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return DatabaseUrls.redact(jdbcUrl) + " as " + user;
  }
}
