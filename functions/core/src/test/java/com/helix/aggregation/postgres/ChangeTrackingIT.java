package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PausePoint;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change log on a real PostgreSQL (SPEC §3): what the triggers log for each kind of write, who
 * may write with tracking on, when the log is trusted, and that consuming it inside the day's
 * aggregation leaves every write the aggregation did not see logged.
 */
class ChangeTrackingIT {
  private static final LocalDate DAY = LocalDate.of(2025, 9, 9);

  private TestDatabase db;
  private Database database;
  private PostgresChangeLog changes;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    database = db.open();
    changes = new PostgresChangeLog(database, db.schema(), db.rawTable());
    db.insertRaw(1, "2025-09-09T08:00:00Z", "acct-1", "gpt-large", 100, 10, "1.10");
    db.insertRaw(2, "2025-09-10T09:00:00Z", "acct-2", "gpt-small", 200, 20, "0.20");
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  @Test
  void givenTrackingOff_thenWritesLogNothing_andTheLogIsNotTrusted() {
    db.insertRaw(3, "2025-09-09T10:00:00Z", "acct-1", "gpt-large", 1, 1, "0.01");

    assertThat(changes.trackedSince()).isEmpty();
    assertThat(changes.changedDays(LocalDate.MAX)).isEmpty();
    assertThat(changes.status().complete()).isFalse();
  }

  @Test
  void givenAMultiRowInsertOverTwoDays_thenEachDayIsLoggedOnceForTheStatement() {
    changes.enable();

    db.execute(
        "INSERT INTO {raw} (id, occurred_at, account_id, model, input_tokens, output_tokens,"
            + " cost_usd) SELECT 100 + g, timestamptz '2025-09-09 12:00Z' + g * interval '1"
            + " minute', 'acct-9', 'gpt-large', 1, 1, 0.01 FROM generate_series(1, 1000) g");

    assertThat(changes.changedDays(LocalDate.MAX))
        .containsExactly(LocalDate.of(2025, 9, 9), LocalDate.of(2025, 9, 10));
    assertThat(db.count("SELECT count(*) FROM {schema}.changed_days")).isEqualTo(2);
  }

  @Test
  void givenAnUpdateMovingARecordBetweenDays_thenBothDaysAreLogged_andADeleteLogsItsDay() {
    changes.enable();

    db.execute("UPDATE {raw} SET occurred_at = '2025-08-01T00:00:00Z' WHERE id = 1");
    db.execute("DELETE FROM {raw} WHERE id = 2");

    assertThat(changes.changedDays(LocalDate.MAX))
        .containsExactly(
            LocalDate.of(2025, 8, 1), LocalDate.of(2025, 9, 9), LocalDate.of(2025, 9, 10));
  }

  @Test
  void givenARawTableWhoseInstantAllowsNull_thenWritesOfRowsOfNoDaySucceed_andLogNoDay() {
    db.execute("ALTER TABLE {raw} ALTER COLUMN occurred_at DROP NOT NULL");
    changes.enable();

    db.execute(
        "INSERT INTO {raw} (id, occurred_at, account_id, model, input_tokens, output_tokens,"
            + " cost_usd) VALUES (3, NULL, 'acct-1', 'gpt-large', 1, 1, 0.01)");
    assertThat(changes.changedDays(LocalDate.MAX)).as("a row of no day").isEmpty();

    db.execute(
        "INSERT INTO {raw} (id, occurred_at, account_id, model, input_tokens, output_tokens,"
            + " cost_usd) VALUES (4, NULL, 'acct-1', 'gpt-large', 1, 1, 0.01),"
            + " (5, '2025-09-11T10:00:00Z', 'acct-1', 'gpt-large', 1, 1, 0.01)");
    db.execute("UPDATE {raw} SET occurred_at = NULL WHERE id = 1");
    db.execute("UPDATE {raw} SET occurred_at = '2025-08-02T00:00:00Z' WHERE id = 3");
    db.execute("DELETE FROM {raw} WHERE id = 4");

    assertThat(changes.changedDays(LocalDate.MAX))
        .as("the day a row arrived in, left or moved to; never a NULL day")
        .containsExactly(
            LocalDate.of(2025, 8, 2), LocalDate.of(2025, 9, 9), LocalDate.of(2025, 9, 11));
    assertThat(db.count("SELECT count(*) FROM {raw} WHERE occurred_at IS NULL")).isEqualTo(1);
    assertThat(new RawTableCheck(database, db.rawTable()).warnings())
        .contains(
            "raw table "
                + db.rawTable()
                + " column occurred_at allows NULL: such a record belongs to no day and is never"
                + " aggregated");
  }

  @Test
  void givenAWriterWithNoPrivilegeOnTheOwnedSchema_thenItsWriteIsStillLogged() {
    changes.enable();
    String writer = "writer_" + db.schema();
    db.execute(
        "CREATE ROLE " + writer,
        "GRANT USAGE ON SCHEMA "
            + db.rawTable().schema().orElse("public")
            + " TO "
            + writer
            + "; GRANT INSERT ON {raw} TO "
            + writer);

    db.execute(
        "SET ROLE "
            + writer
            + "; INSERT INTO {raw} (id, occurred_at, account_id, model, input_tokens,"
            + " output_tokens, cost_usd) VALUES (7, '2025-07-07T07:00:00Z', 'a', 'm', 1, 1, 1);"
            + " RESET ROLE");

    assertThat(changes.changedDays(LocalDate.MAX)).containsExactly(LocalDate.of(2025, 7, 7));
    db.execute("DROP OWNED BY " + writer + "; DROP ROLE " + writer);
  }

  @Test
  void givenATruncate_thenTrackingStartsAgain_soNoEarlierVerificationIsTrusted() throws Exception {
    changes.enable();
    Instant before = changes.trackedSince().orElseThrow();
    Thread.sleep(20);

    db.execute("TRUNCATE {raw}");

    assertThat(changes.trackedSince().orElseThrow()).isAfter(before);
  }

  @Test
  void givenATruncateInATransactionBegunEarlier_thenTrackingStartsAtTheTruncateItself()
      throws Exception {
    changes.enable();
    Instant began;
    try (Connection c = DriverManager.getConnection(db.url());
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try (ResultSet rs = s.executeQuery("SELECT now()")) {
        rs.next();
        began = rs.getObject(1, OffsetDateTime.class).toInstant();
      }
      // a run aggregates and verifies a day here, while this transaction is open
      s.execute("SELECT pg_sleep(0.2)");
      s.execute("TRUNCATE " + db.rawTable().quoted());
      c.commit();
    }

    assertThat(changes.trackedSince().orElseThrow())
        .as("not the truncating transaction's start, which is before that verification")
        .isAfter(began.plusMillis(150));
  }

  @Test
  void givenTriggersDisabledForABulkLoad_thenTheLogIsNotTrusted_untilEnabledAgain()
      throws Exception {
    changes.enable();
    Instant first = changes.trackedSince().orElseThrow();

    db.execute("ALTER TABLE {raw} DISABLE TRIGGER USER");
    assertThat(changes.trackedSince()).as("writes now go unlogged").isEmpty();
    db.execute("ALTER TABLE {raw} ENABLE TRIGGER USER");
    assertThat(changes.trackedSince())
        .as("enabled the default way: writes under session_replication_role = replica skip them")
        .isEmpty();
    assertThat(changes.status().complete()).isFalse();

    Thread.sleep(20);
    changes.enable();
    assertThat(changes.trackedSince().orElseThrow()).isAfter(first);
  }

  @Test
  void givenAWriteUnderTheReplicaRole_thenItIsLogged() throws Exception {
    changes.enable();
    try (Connection c = DriverManager.getConnection(db.url());
        Statement s = c.createStatement()) {
      // as logical replication's apply writes
      s.execute("SET session_replication_role = replica");
      s.execute(
          "INSERT INTO "
              + db.rawTable().quoted()
              + " (id, occurred_at, account_id, model, input_tokens, output_tokens, cost_usd)"
              + " VALUES (5, '2025-07-08T10:00:00Z', 'acct-5', 'embed-1', 1, 0, 0.01)");
    }

    assertThat(changes.changedDays(LocalDate.MAX)).contains(LocalDate.of(2025, 7, 8));
  }

  @Test
  void givenEnableRunTwice_thenTheStartStays_butAfterATriggerWasDroppedItStartsAgain()
      throws Exception {
    changes.enable();
    Instant first = changes.trackedSince().orElseThrow();
    Thread.sleep(20);

    changes.enable();
    assertThat(changes.trackedSince()).contains(first);

    db.execute("DROP TRIGGER \"helix_" + db.schema() + "_changed_days_update\" ON {raw}");
    assertThat(changes.trackedSince()).as("a log missing updates is not trusted").isEmpty();
    assertThat(changes.status().complete()).isFalse();

    changes.enable();
    assertThat(changes.trackedSince().orElseThrow()).isAfter(first);
    assertThat(changes.status().triggers()).isEqualTo(PostgresChangeLog.TRIGGERS);
    assertThat(changes.status().complete()).isTrue();
  }

  @Test
  void givenDisable_thenTheTriggersAndTheLogAreGone_andWritesGoOn() {
    changes.enable();
    db.insertRaw(3, "2025-09-09T10:00:00Z", "acct-1", "gpt-large", 1, 1, "0.01");

    changes.disable();
    db.insertRaw(4, "2025-09-09T11:00:00Z", "acct-1", "gpt-large", 1, 1, "0.01");

    assertThat(changes.trackedSince()).isEmpty();
    assertThat(db.count("SELECT count(*) FROM {schema}.changed_days")).isZero();
    assertThat(changes.status().triggers()).isZero();
  }

  @Test
  void givenADayAggregated_thenItsEntriesAreConsumed_evenWhenItWasUnchanged() {
    changes.enable();
    db.execute("UPDATE {raw} SET cost_usd = cost_usd + 1 WHERE id IN (1, 2)");
    try (Harness worker = new Harness(db)) {
      assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(changes.changedDays(LocalDate.MAX)).containsExactly(DAY.plusDays(1));
      db.execute("UPDATE {raw} SET account_id = account_id WHERE id = 1");

      AttemptReport again = worker.run(DAY);

      assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
      assertThat(changes.changedDays(LocalDate.MAX)).containsExactly(DAY.plusDays(1));
    }
  }

  @Test
  void givenAWriteCommittedDuringTheDaysAggregation_thenTheDayStaysDirty_andTheNextRunHasIt()
      throws Exception {
    changes.enable();
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "track");
        Harness paused = new Harness(db, db.sessions(pause.url(), "UTC"), Clock.systemUTC(), null);
        Harness next = new Harness(db)) {
      CompletableFuture<AttemptReport> run = CompletableFuture.supplyAsync(() -> paused.run(DAY));
      pause.awaitPaused(Duration.ofSeconds(30));
      db.insertRaw(3, "2025-09-09T10:00:00Z", "acct-3", "embed-1", 300, 0, "0.03");
      pause.release();

      assertThat(run.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.AGGREGATED);
      assertThat(db.count("SELECT record_count FROM {schema}.daily_aggregates WHERE day = ?", DAY))
          .as("aggregated from a snapshot taken before the write")
          .isEqualTo(1);
      assertThat(changes.changedDays(LocalDate.MAX)).contains(DAY);

      assertThat(next.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
      DayChecks.assertExact(db, DAY, DAY);
      assertThat(changes.changedDays(LocalDate.MAX)).doesNotContain(DAY);
    }
  }

  @Test
  void givenAWriteBegunBeforeTheRunAndCommittedAfterIt_thenTheDayStaysDirty() throws Exception {
    changes.enable();
    try (Connection writer = DriverManager.getConnection(db.url());
        Harness worker = new Harness(db)) {
      writer.setAutoCommit(false);
      try (Statement s = writer.createStatement()) {
        s.execute(
            "INSERT INTO "
                + db.rawTable().quoted()
                + " (id, occurred_at, account_id, model, input_tokens, output_tokens, cost_usd)"
                + " VALUES (3, '2025-09-09T23:59:59Z', 'acct-3', 'embed-1', 300, 0, 0.03)");
      }

      assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
      writer.commit();

      assertThat(changes.changedDays(LocalDate.MAX)).contains(DAY);
      assertThat(worker.run(DAY).outcome()).isEqualTo(Outcome.AGGREGATED);
      DayChecks.assertExact(db, DAY, DAY);
    }
  }

  @Test
  void givenTheRawTableWithoutItsOwnersRights_thenEnableFailsWithTheReason_andChangesNothing() {
    String stranger = "stranger_" + db.schema();
    db.execute(
        "CREATE ROLE " + stranger,
        "GRANT USAGE, CREATE ON SCHEMA " + db.schema() + " TO " + stranger,
        "GRANT ALL ON ALL TABLES IN SCHEMA " + db.schema() + " TO " + stranger,
        "GRANT USAGE ON SCHEMA " + db.rawTable().schema().orElse("public") + " TO " + stranger);
    ConnectionFactory plain = db.sessions(db.url(), "UTC");
    ConnectionFactory asStranger =
        () -> {
          Connection c = plain.open();
          try (Statement s = c.createStatement()) {
            s.execute("SET ROLE " + stranger);
          }
          return c;
        };
    try (Database strangers = new Database(asStranger, TestDatabase.STATEMENT_TIMEOUT)) {
      PostgresChangeLog theirs = new PostgresChangeLog(strangers, db.schema(), db.rawTable());

      assertThatThrownBy(theirs::enable)
          .isInstanceOf(DatabaseSetupException.class)
          .hasMessageContaining("42501");
    }
    assertThat(changes.status().triggers()).isZero();
    assertThat(changes.trackedSince()).isEmpty();
    db.execute("DROP OWNED BY " + stranger + "; DROP ROLE " + stranger);
  }

  @Test
  void givenStatus_thenItListsTheDirtyDaysOldestFirst() {
    changes.enable();
    db.execute("UPDATE {raw} SET cost_usd = cost_usd WHERE id IN (1, 2)");

    PostgresChangeLog.Status status = changes.status();

    assertThat(status.complete()).isTrue();
    assertThat(status.dirtyDays()).isEqualTo(List.of(DAY, DAY.plusDays(1)));
    assertThat(status.pendingEntries()).isEqualTo(2);
  }

  @Test
  void
      givenAPartitionedRawTable_thenWritesThroughTheParentOrStraightIntoAPartitionAreLogged_andANewPartitionNeedsEnablingAgain()
          throws Exception {
    TableName parted = new TableName(Optional.of(db.schema()), "usage_parted");
    db.execute(
        "CREATE TABLE " + parted.quoted() + " (LIKE {raw}) PARTITION BY RANGE (occurred_at)",
        "CREATE TABLE "
            + db.schema()
            + ".usage_p1 PARTITION OF "
            + parted.quoted()
            + " FOR VALUES FROM ('2025-09-01Z') TO ('2025-10-01Z')",
        "CREATE TABLE "
            + db.schema()
            + ".usage_p2 PARTITION OF "
            + parted.quoted()
            + " FOR VALUES FROM ('2025-10-01Z') TO ('2025-11-01Z')");
    PostgresChangeLog partedChanges = new PostgresChangeLog(database, db.schema(), parted);
    partedChanges.enable();
    assertThat(partedChanges.status().neededTriggers()).isEqualTo(3 * PostgresChangeLog.TRIGGERS);
    assertThat(partedChanges.status().complete()).isTrue();

    String columns =
        " (id, occurred_at, account_id, model, input_tokens, output_tokens, cost_usd) VALUES ";
    db.execute(
        "INSERT INTO "
            + parted.quoted()
            + columns
            + "(1, '2025-09-09T08:00:00Z', 'a', 'm', 1, 1, 1)",
        "INSERT INTO "
            + db.schema()
            + ".usage_p2"
            + columns
            + "(2, '2025-10-10T08:00:00Z', 'a', 'm', 1, 1, 1)",
        "UPDATE " + parted.quoted() + " SET occurred_at = '2025-10-11T00:00:00Z' WHERE id = 1");

    assertThat(partedChanges.changedDays(LocalDate.MAX))
        .containsExactly(
            LocalDate.of(2025, 9, 9), LocalDate.of(2025, 10, 10), LocalDate.of(2025, 10, 11));

    Instant since = partedChanges.trackedSince().orElseThrow();
    db.execute(
        "CREATE TABLE "
            + db.schema()
            + ".usage_p3 PARTITION OF "
            + parted.quoted()
            + " FOR VALUES FROM ('2025-11-01Z') TO ('2025-12-01Z')");
    assertThat(partedChanges.trackedSince()).as("a partition without triggers").isEmpty();
    partedChanges.enable();
    assertThat(partedChanges.trackedSince().orElseThrow()).isAfter(since);
    assertThat(partedChanges.status().neededTriggers()).isEqualTo(4 * PostgresChangeLog.TRIGGERS);
  }
}
