package com.helix.aggregation.testing;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Login roles of a test's own on the test server, and the database secret in moto rotated to one of
 * them: the sessions a function opens with the secret log in as that role, so they can be counted
 * and told apart from every other session on the server (and a session opened after a rotation
 * proves the secret was read again).
 */
public final class SecretRoles {
  private SecretRoles() {}

  /** A new login role (a superuser, as the fixture's own user: no grants to keep in step). */
  public static String create() {
    String role =
        "helix_role_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    PostgresFixture.execute("CREATE ROLE " + role + " LOGIN SUPERUSER");
    return role;
  }

  /** Ends the role's sessions and drops it. */
  public static void drop(String role) {
    PostgresFixture.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
    PostgresFixture.execute("DROP ROLE IF EXISTS " + role);
  }

  /** The backend process ids of the sessions logged in as this role. */
  public static List<Long> sessions(TestDatabase db, String role) {
    return db.query("SELECT pid FROM pg_stat_activity WHERE usename = ?", role).stream()
        .map(row -> ((Number) row.get("pid")).longValue())
        .toList();
  }

  /**
   * A new RDS secret in moto for the test database, as this role; returns its ARN. The test server
   * trusts local connections: the user counts, the password is not checked.
   */
  public static String secretFor(TestDatabase db, String role) {
    return MotoFixture.createSecret(secretValue(db, role));
  }

  /** Puts a new version of the RDS secret in moto: the test database, for this role. */
  public static void rotate(String secretArn, TestDatabase db, String role) {
    MotoFixture.putSecret(secretArn, secretValue(db, role));
  }

  /** The JSON of an RDS database secret, as RDS and Secrets Manager's rotation write it. */
  public static String rdsSecret(
      String host, int port, String dbname, String username, String password) {
    return String.format(
        "{\"engine\":\"postgres\",\"host\":\"%s\",\"port\":%d,\"dbname\":\"%s\","
            + "\"username\":\"%s\",\"password\":\"%s\"}",
        host, port, dbname, username, password);
  }

  private static String secretValue(TestDatabase db, String role) {
    URI server = URI.create(db.url().substring("jdbc:".length()));
    return rdsSecret(
        server.getHost(),
        server.getPort(),
        server.getPath().substring(1),
        role,
        "unused-with-trust-auth");
  }
}
