package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.postgres.SchemaMigrations;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.SecretRoles;
import com.helix.aggregation.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI on the functions' database secret ({@code HELIX_DB_SECRET_ARN}) instead of a JDBC URL:
 * the deploy's {@code helix migrate} and an operator's {@code helix status} from a machine with AWS
 * credentials, the secret read from moto's Secrets Manager through the CLI's real client. The test
 * server trusts local connections, so the secret's user is what these tests can see (the schema's
 * owner, the session user), not whether its password was checked.
 */
class DatabaseSecretCliIT {
  private TestDatabase db;
  private String role;
  private String schema;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    MotoFixture.endpoint();
    db = PostgresFixture.freshDatabase();
    role = SecretRoles.create();
    schema = role + "_schema";
    env = new HashMap<>();
    env.put(HelixConfig.SCHEMA, schema);
    env.put(HelixConfig.RAW_TABLE, db.rawTable().toString());
  }

  @AfterEach
  void dropRole() {
    db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    SecretRoles.drop(role);
  }

  @Test
  void givenOnlyTheFunctionsSecret_thenMigrateAndStatusConnectAsItsUser() {
    env.put(HelixConfig.DB_SECRET_ARN, SecretRoles.secretFor(db, role));

    CliRun migrate = CliRun.of(env, "migrate");

    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
    assertThat(migrate.out())
        .contains("Schema " + schema + " is at version " + SchemaMigrations.OWNED_VERSION)
        .contains(" as " + role + " (secret " + env.get(HelixConfig.DB_SECRET_ARN) + ")")
        .doesNotContain("unused-with-trust-auth");
    assertThat(
            db.value("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = ?", schema))
        .as("Flyway connected as the secret's user")
        .isEqualTo(role);

    CliRun status = CliRun.of(env, "status");

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("Database: ").contains(" as " + role);
  }

  @Test
  void givenASecretNamingAnUnknownUser_thenTheCommandsSignInAsThatUser_andAreRefused() {
    env.put(HelixConfig.SCHEMA, db.schema());
    env.put(HelixConfig.DB_SECRET_ARN, SecretRoles.secretFor(db, role + "_unknown"));

    for (String command : new String[] {"status", "run"}) {
      CliRun run = CliRun.of(env, command);

      assertThat(run.exitCode()).as(command).isEqualTo(1);
      run.assertOneLineError("role \"" + role + "_unknown\" does not exist");
      assertThat(run.err()).doesNotContain("unused-with-trust-auth");
    }
  }

  @Test
  void givenAUrlAndASecret_thenTheUrlWins_asForTheFunctions() {
    env.put(HelixConfig.DATABASE_URL, db.url());
    env.put(HelixConfig.SCHEMA, db.schema());
    env.put(HelixConfig.DB_SECRET_ARN, "arn:aws:secretsmanager:us-east-1:123456789012:secret:none");

    CliRun status = CliRun.of(env, "status");

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).doesNotContain("secret");
  }

  @Test
  void givenASecretThatDoesNotExist_thenOneLineNamingIt_andNothingCreated() {
    String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:helix/missing-AbCdEf";
    env.put(HelixConfig.DB_SECRET_ARN, arn);

    CliRun migrate = CliRun.of(env, "migrate");

    assertThat(migrate.exitCode()).isEqualTo(1);
    migrate.assertOneLineError("cannot read the database secret " + arn + " (HELIX_DB_SECRET_ARN)");
    assertThat(schemaExists()).isFalse();
  }

  @Test
  void givenASecretThatIsNotAnRdsSecret_thenOneLineSayingSo_andNothingCreated() {
    String arn = MotoFixture.createSecret("hunter2");
    env.put(HelixConfig.DB_SECRET_ARN, arn);

    CliRun migrate = CliRun.of(env, "migrate");

    assertThat(migrate.exitCode()).isEqualTo(1);
    migrate.assertOneLineError("the database secret " + arn + " is not the JSON of an RDS secret");
    assertThat(migrate.err()).doesNotContain("hunter2");
    assertThat(schemaExists()).isFalse();
  }

  @Test
  void givenOnlyTheSecret_thenTheBenchmarkRefusesToRunOnTheFunctionsDatabase() {
    env.put(HelixConfig.DB_SECRET_ARN, SecretRoles.secretFor(db, role));

    CliRun bench = CliRun.of(env, "bench", "--records-per-day", "10");

    assertThat(bench.exitCode()).isEqualTo(2);
    bench.assertOneLineError("helix bench refuses HELIX_DB_SECRET_ARN (the functions' database)");
  }

  @Test
  void givenNoDatabaseAtAll_thenTheErrorNamesEveryWayToGiveOne() {
    CliRun status = CliRun.of(env, "status");

    assertThat(status.exitCode()).isEqualTo(2);
    status.assertOneLineError(
        "no database configured: set HELIX_DATABASE_URL (a jdbc:postgresql:// URL) or"
            + " HELIX_DB_SECRET_ARN (the functions' secret), or pass --embedded");
  }

  private boolean schemaExists() {
    return db.count("SELECT count(*) FROM pg_namespace WHERE nspname = ?", schema) > 0;
  }
}
