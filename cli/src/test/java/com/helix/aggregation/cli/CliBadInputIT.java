package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.net.ServerSocket;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad inputs of SPEC §11 that the engine's commands meet: one line naming the problem, exit 2
 * (usage) or 1 (failure), no stack trace, and no owned row touched.
 */
class CliBadInputIT {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2026-01-05T10:00:00Z", "acct-1", "gpt-large", 1, 1, "1");
    assertThat(CliRun.of(db.environment(), "run", "--date", "2026-01-05").exitCode()).isZero();
  }

  static Stream<Arguments> badUsage() {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    return Stream.of(
        Arguments.of(List.of("run", "--date", "2026-13-01"), Map.of(), "invalid date '2026-13-01'"),
        Arguments.of(List.of("run", "--date", "2026-02-30"), Map.of(), "invalid date '2026-02-30'"),
        Arguments.of(List.of("run", "--date", "20260105"), Map.of(), "invalid date '20260105'"),
        Arguments.of(
            List.of("run", "--date", "2026-01-05T00:00:00Z"),
            Map.of(),
            "'2026-01-05T00:00:00Z' is a timestamp"),
        Arguments.of(List.of("run", "--date", "2999-01-01"), Map.of(), "is in the future"),
        Arguments.of(List.of("run", "--date", "today"), Map.of(), "pass --include-today"),
        Arguments.of(List.of("run", "--date", today), Map.of(), "pass --include-today"),
        Arguments.of(List.of("run", "--frobnicate"), Map.of(), "Unknown option: '--frobnicate'"),
        Arguments.of(
            List.of("run", "--date", "2026-01-05", "--date", "2026-01-06"),
            Map.of(),
            "should be specified only once"),
        Arguments.of(
            List.of("run", "--force", "--force"), Map.of(), "should be specified only once"),
        Arguments.of(List.of("frobnicate"), Map.of(), "Unmatched argument"),
        Arguments.of(List.of("verify", "--date", "yesterday!"), Map.of(), "invalid date"),
        Arguments.of(
            List.of("run", "--date", "2026-01-05"),
            Map.of(HelixConfig.RAW_TABLE, "usage_records; DROP TABLE x"),
            "HELIX_RAW_TABLE: 'usage_records; DROP TABLE x' is not a table name"),
        Arguments.of(
            List.of("run", "--date", "2026-01-05"),
            Map.of(HelixConfig.SCHEMA, "helix-aggregation"),
            "HELIX_SCHEMA must be a plain SQL identifier"),
        Arguments.of(
            List.of("status"),
            Map.of(HelixConfig.BATCH_SIZE, "seven"),
            "HELIX_BATCH_SIZE must be an integer, got 'seven'"),
        Arguments.of(
            List.of("status"),
            Map.of(HelixConfig.VERIFY_TOLERANCE, "-0.01"),
            "HELIX_VERIFY_TOLERANCE must not be negative"),
        Arguments.of(
            List.of("status"),
            Map.of(HelixConfig.DATABASE_URL, "postgresql://localhost/helix"),
            "HELIX_DATABASE_URL must be a PostgreSQL JDBC URL"),
        Arguments.of(List.of("status", "--days", "0"), Map.of(), "--days must be between"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badUsage")
  void givenBadUsage_thenExitTwoWithOneLineAndNoChange(
      List<String> args, Map<String, String> envChanges, String message) {
    String before = db.ownedTablesFingerprint();
    Map<String, String> env = new HashMap<>(db.environment());
    env.putAll(envChanges);

    CliRun run = CliRun.of(env, args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    run.assertOneLineError(message);
    assertThat(db.ownedTablesFingerprint()).isEqualTo(before);
  }

  @Test
  void givenNoDatabaseConfigured_thenExitTwoNamingTheVariable() {
    for (String command : List.of("run", "status", "verify", "migrate")) {
      CliRun run = CliRun.of(Map.of(), command);

      assertThat(run.exitCode()).as(command).isEqualTo(2);
      run.assertOneLineError("no database configured: set HELIX_DATABASE_URL");
    }
  }

  @Test
  void givenAnUnreachableDatabase_thenExitOneNamingIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env =
        Map.of(
            HelixConfig.DATABASE_URL,
            "jdbc:postgresql://127.0.0.1:" + closedPort + "/helix?user=helix&password=secret");

    CliRun run = CliRun.of(env, "run", "--date", "2026-01-05");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError(
        "cannot connect to the database at jdbc:postgresql://127.0.0.1:" + closedPort);
    assertThat(run.err()).doesNotContain("secret");
  }

  @Test
  void givenAMissingLeaseTable_thenTheRunFailsClosedBeforeAnyDay_exitOne_namingTableAndEndpoint() {
    String endpoint = MotoFixture.endpoint();
    String before = db.ownedTablesFingerprint();
    Map<String, String> env = new HashMap<>(db.environment());
    env.put(HelixConfig.LEASE_TABLE, "no-such-lease-table");

    CliRun run = CliRun.of(env, "run", "--date", "2026-01-04");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("DynamoDB table no-such-lease-table does not exist at " + endpoint);
    // the setup check ran before the day: no attempt, nothing charged, nothing written
    assertThat(db.ownedTablesFingerprint()).isEqualTo(before);
  }

  @Test
  void givenAnUnmigratedSchema_thenExitOneAskingForMigrate() {
    Map<String, String> env = new HashMap<>(db.environment());
    env.put(HelixConfig.SCHEMA, "never_migrated");

    CliRun run = CliRun.of(env, "run", "--date", "2026-01-05");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("schema never_migrated is not migrated");
    assertThat(run.err()).contains("run `helix migrate` first");
  }
}
