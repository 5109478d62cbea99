package com.helix.aggregation.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.EnvironmentException;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.RestartablePostgres;
import com.helix.aggregation.testing.SecretRoles;
import com.helix.aggregation.wiring.HelixWiring;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The database secret as the functions and the command line read it ({@code
 * HelixWiring.databaseSecret}, {@code HelixWiring.sessions}): from moto's Secrets Manager through
 * the real SDK client, into a real PostgreSQL that checks passwords (SCRAM), as a managed database
 * does. The test server of the other tests trusts every local connection, so rotation and a wrong
 * password can only be shown here.
 */
class DatabaseSecretIT {
  private static RestartablePostgres server;

  @BeforeAll
  static void start() {
    MotoFixture.endpoint();
    server = new RestartablePostgres();
    server.requirePasswords();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void givenTheSecretsPassword_thenSessionsSignInAsItsUser() throws SQLException {
    String user = role("right-pw");
    String arn = secret("localhost", user, "right-pw");

    try (SecretsManagerDatabaseCredentials secret = HelixWiring.databaseSecret(arn, config());
        Connection c = HelixWiring.sessions(secret, config()).open()) {
      assertThat(currentUser(c)).isEqualTo(user);
    }
  }

  @Test
  void givenARotatedPassword_thenTheNextSessionReadsTheSecretAgain_andSignsIn()
      throws SQLException {
    String user = role("before-rotation");
    String arn = secret("localhost", user, "before-rotation");
    try (SecretsManagerDatabaseCredentials secret = HelixWiring.databaseSecret(arn, config())) {
      ConnectionFactory sessions = HelixWiring.sessions(secret, config());
      sessions.open().close(); // the secret is read and kept

      // Secrets Manager's rotation: the password changes in the database and in the secret.
      execute("ALTER ROLE " + user + " PASSWORD 'after-rotation'");
      MotoFixture.putSecret(arn, json("localhost", user, "after-rotation"));

      try (Connection c = sessions.open()) {
        assertThat(currentUser(c)).isEqualTo(user);
      }
      assertThat(secret.get().password()).isEqualTo("after-rotation");
    }
  }

  @Test
  void givenAWrongPassword_thenTheSessionIsRefused_withoutShowingIt() {
    String user = role("right-pw");
    String arn = secret("localhost", user, "wrong-pw-s3cr3t");

    try (SecretsManagerDatabaseCredentials secret = HelixWiring.databaseSecret(arn, config())) {
      assertThatThrownBy(() -> HelixWiring.sessions(secret, config()).open().close())
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"))
          .hasMessageContaining(user)
          .hasMessageNotContaining("wrong-pw-s3cr3t");
    }
  }

  @Test
  void givenAProxyEndpoint_thenItReplacesTheSecretsHost() throws SQLException {
    String user = role("via-proxy");
    String arn = secret("database.invalid", user, "via-proxy");
    HelixConfig config =
        HelixConfig.fromEnvironment(
            Map.of(HelixConfig.DB_PROXY_ENDPOINT, "localhost:" + server.port()));

    try (SecretsManagerDatabaseCredentials secret = HelixWiring.databaseSecret(arn, config);
        Connection c = HelixWiring.sessions(secret, config).open()) {
      assertThat(currentUser(c)).isEqualTo(user);
      assertThat(secret.get().jdbcUrl()).startsWith("jdbc:postgresql://localhost:");
    }
  }

  @Test
  void givenASecretInAnotherRegion_thenItIsReadFromTheRegionItsArnNames() throws SQLException {
    String user = role("elsewhere");
    String arn;
    try (SecretsManagerClient frankfurt =
        SecretsManagerClient.builder().region(Region.EU_CENTRAL_1).build()) {
      arn =
          frankfurt
              .createSecret(
                  s ->
                      s.name("helix/db-" + UUID.randomUUID())
                          .secretString(json("localhost", user, "elsewhere")))
              .arn();
    }
    assertThat(arn).startsWith("arn:aws:secretsmanager:eu-central-1:");
    assertThat(new DefaultAwsRegionProviderChain().getRegion()).isEqualTo(Region.US_EAST_1);

    try (SecretsManagerDatabaseCredentials secret = HelixWiring.databaseSecret(arn, config());
        Connection c = HelixWiring.sessions(secret, config()).open()) {
      assertThat(currentUser(c)).isEqualTo(user);
    }
  }

  @Test
  void givenASecretWithoutAPassword_thenAnEnvironmentErrorNamingTheField() {
    String arn =
        MotoFixture.createSecret(
            "{\"host\":\"localhost\",\"port\":5432,\"dbname\":\"postgres\",\"username\":\"app\"}");

    try (SecretsManagerDatabaseCredentials secret = HelixWiring.databaseSecret(arn, config())) {
      assertThatThrownBy(secret::get)
          .isInstanceOf(EnvironmentException.class)
          .hasMessage("the database secret " + arn + " has no password (HELIX_DB_SECRET_ARN)");
    }
  }

  // --- helpers ---

  private static HelixConfig config() {
    return HelixConfig.fromEnvironment(Map.of());
  }

  /** A new login role with this password; returns its name. */
  private static String role(String password) {
    String name = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
    return name;
  }

  private static String secret(String host, String user, String password) {
    return MotoFixture.createSecret(json(host, user, password));
  }

  private static String json(String host, String user, String password) {
    return SecretRoles.rdsSecret(host, server.port(), "postgres", user, password);
  }

  private static void execute(String sql) {
    try (Connection c = java.sql.DriverManager.getConnection(server.url());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String currentUser(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
