package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
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
 * Every bad range and bad input of SPEC §11 that a backfill meets: exit 2 (or 1 for an unreachable
 * service) with one line naming the problem, no stack trace, and the owned tables unchanged.
 */
class BackfillBadInputIT {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2026-01-05T10:00:00Z", "acct-1", "gpt-large", 1, 1, "1");
    assertThat(CliRun.of(db.environment(), "run", "--date", "2026-01-05").exitCode()).isZero();
  }

  static Stream<Arguments> badRanges() {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    return Stream.of(
        bad(
            "invalid date",
            "--from 2026-02-30 --to 2026-03-01 --local",
            "invalid date '2026-02-30'"),
        bad("not a date", "--from yesterdays --to 2026-03-01 --local", "invalid date 'yesterdays'"),
        bad("timestamp", "--from 2026-01-01T00:00:00Z --to 2026-03-01 --local", "is a timestamp"),
        bad(
            "offset timestamp",
            "--from 2026-01-01 --to 2026-03-01T00:00+02:00 --local",
            "is a timestamp"),
        bad(
            "from after to",
            "--from 2026-03-02 --to 2026-03-01 --local",
            "--from 2026-03-02 is after --to 2026-03-01"),
        bad("future", "--from 2026-01-01 --to " + tomorrow + " --local", "is in the future"),
        bad("far future", "--from 2999-01-01 --to 2999-01-02 --local", "is in the future"),
        bad("today", "--from 2026-01-01 --to today --local", "pass --include-today"),
        bad(
            "today as a date",
            "--from 2026-01-01 --to " + today + " --local",
            "pass --include-today"),
        bad(
            "over ten years",
            "--from 2014-01-01 --to 2024-01-01 --local",
            "a backfill covers at most 10 years"),
        bad("missing --from", "--to 2026-03-01 --local", "--from and --to are required"),
        bad(
            "unknown flag",
            "--from 2026-01-01 --to 2026-01-02 --local --parallel",
            "Unknown option: '--parallel'"),
        bad(
            "repeated flag",
            "--from 2026-01-01 --from 2026-01-02 --to 2026-01-03 --local",
            "should be specified only once"),
        bad(
            "repeated switch",
            "--from 2026-01-01 --to 2026-01-03 --local --local",
            "should be specified only once"),
        bad(
            "no queue, no --local",
            "--from 2026-01-01 --to 2026-01-02",
            "HELIX_BACKFILL_QUEUE_URL is not set: pass --local"),
        bad(
            "follow and cancel",
            "--follow backfill-a --cancel backfill-b",
            "--follow and --cancel cannot be used together"),
        bad(
            "cancel and force",
            "--cancel backfill-a --force",
            "--cancel takes a request id and no other option"));
  }

  private static Arguments bad(String name, String args, String message) {
    return Arguments.of(name, List.of(args.split(" ")), message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRanges")
  void givenABadRange_thenExitTwo_oneLine_andNothingChanged(
      String name, List<String> args, String message) {
    String before = db.ownedTablesFingerprint();

    CliRun run = CliRun.of(db.environment(), backfill(args));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    run.assertOneLineError(message);
    assertThat(db.ownedTablesFingerprint()).isEqualTo(before);
  }

  static Stream<Arguments> badConfiguration() {
    return Stream.of(
        Arguments.of(
            Map.of(HelixConfig.RAW_TABLE, "usage records"),
            "HELIX_RAW_TABLE: 'usage records' is not a table name"),
        Arguments.of(
            Map.of(HelixConfig.BATCH_SIZE, "0"),
            "HELIX_BATCH_SIZE must be between 1 and 1000, got 0"),
        Arguments.of(
            Map.of(HelixConfig.BATCH_DELAY_MS, "1s"),
            "HELIX_BATCH_DELAY_MS must be an integer, got '1s'"),
        Arguments.of(
            Map.of(HelixConfig.MAX_ATTEMPTS, "-3"),
            "HELIX_MAX_ATTEMPTS must be between 1 and 100"));
  }

  @ParameterizedTest
  @MethodSource("badConfiguration")
  void givenABadConfigurationValue_thenExitTwoNamingTheVariable(
      Map<String, String> change, String message) {
    String before = db.ownedTablesFingerprint();
    Map<String, String> env = new HashMap<>(db.environment());
    env.putAll(change);

    CliRun run =
        CliRun.of(env, "backfill", "--from", "2026-01-01", "--to", "2026-01-02", "--local");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError(message);
    assertThat(db.ownedTablesFingerprint()).isEqualTo(before);
  }

  @Test
  void givenNoDatabase_thenExitTwo() {
    CliRun run =
        CliRun.of(Map.of(), "backfill", "--from", "2026-01-01", "--to", "2026-01-02", "--local");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError("no database configured: set HELIX_DATABASE_URL");
  }

  @Test
  void givenAnUnreachableDatabase_thenExitOne() {
    int port = MotoFixture.freePort();
    CliRun run =
        CliRun.of(
            Map.of(HelixConfig.DATABASE_URL, "jdbc:postgresql://127.0.0.1:" + port + "/x?user=u"),
            "backfill",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "--local");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("cannot connect to the database at jdbc:postgresql://127.0.0.1:" + port);
  }

  @Test
  void givenAMissingLeaseTable_thenExitOneNamingIt_andNothingChanged() {
    String endpoint = MotoFixture.endpoint();
    String before = db.ownedTablesFingerprint();
    Map<String, String> env = new HashMap<>(db.environment());
    env.put(HelixConfig.LEASE_TABLE, "no-such-leases");

    CliRun run =
        CliRun.of(env, "backfill", "--from", "2026-01-01", "--to", "2026-01-02", "--local");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("DynamoDB table no-such-leases does not exist at " + endpoint);
    assertThat(db.ownedTablesFingerprint()).isEqualTo(before);
  }

  private static String[] backfill(List<String> args) {
    String[] all = new String[args.size() + 1];
    all[0] = "backfill";
    for (int i = 0; i < args.size(); i++) {
      all[i + 1] = args.get(i);
    }
    return all;
  }
}
