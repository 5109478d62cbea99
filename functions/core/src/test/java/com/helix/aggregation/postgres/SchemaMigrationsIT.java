package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The owned schema's migrations: re-runnable, several databases per cluster, the read contract. */
class SchemaMigrationsIT {
  private static final String READER = SchemaMigrations.READER_ROLE;

  /** What consumers may read (README, "Read contract for consumers"), and nothing else. */
  private static final List<String> READ_CONTRACT =
      List.of(
          "verified_daily_aggregates",
          "verified_daily_breakdown",
          "aggregation_freshness",
          "daily_aggregate_history",
          "daily_aggregate_breakdown_history");

  @Test
  void givenAMigratedSchema_whenMigratedAgain_thenNothingIsApplied() {
    TestDatabase db = PostgresFixture.freshDatabase();

    assertThat(SchemaMigrations.migrateOwned(db.url(), db.schema())).isZero();
    try (Database session = db.open()) {
      SchemaVersion.requireCurrent(session, db.schema());
    }
  }

  @Test
  void givenASecondDatabaseInTheCluster_thenItMigratesBesideTheFirst_sharingTheReaderRole()
      throws Exception {
    PostgresFixture.execute("DROP DATABASE IF EXISTS helix_second");
    PostgresFixture.execute("CREATE DATABASE helix_second");
    String second = PostgresFixture.url().replaceFirst("/postgres(\\?|$)", "/helix_second$1");

    assertThat(SchemaMigrations.migrateOwned(second, "helix_aggregation"))
        .isEqualTo(Integer.parseInt(SchemaMigrations.OWNED_VERSION));
    assertThat(SchemaMigrations.migrateOwned(second, "helix_aggregation")).isZero();
  }

  @Test
  void givenTheReaderRole_thenItMaySelectExactlyTheReadContract_andWriteNothing() {
    TestDatabase db = PostgresFixture.freshDatabase();

    assertThat(db.value("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", READER))
        .as("the reader role is granted to login roles, it does not log in itself")
        .isEqualTo(false);
    assertThat(db.value("SELECT has_schema_privilege(?, ?, 'USAGE')", READER, db.schema()))
        .isEqualTo(true);
    assertThat(db.value("SELECT has_schema_privilege(?, ?, 'CREATE')", READER, db.schema()))
        .isEqualTo(false);
    assertThat(readable(db)).containsExactlyInAnyOrderElementsOf(READ_CONTRACT);
    assertThat(
            db.query(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S')"
                    + " AND (has_table_privilege(?, c.oid,"
                    + " 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')"
                    + " OR (c.relkind = 'S' AND has_sequence_privilege(?, c.oid, 'USAGE, UPDATE')))",
                db.schema(),
                READER,
                READER))
        .as("relations the reader may write")
        .isEmpty();
  }

  @Test
  void givenTheReaderRoleInASession_thenItReadsTheContract_andIsDeniedEverythingElse()
      throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2026-01-05T10:00:00Z", "acct-1", "gpt-large", 1, 1, "2.5");
    try (Harness worker = new Harness(db)) {
      worker.run(LocalDate.of(2026, 1, 5));
    }
    String s = db.schema() + ".";

    try (Connection c = DriverManager.getConnection(db.url());
        Statement reader = c.createStatement()) {
      reader.execute("SET ROLE " + READER);
      assertThat(single(reader, "SELECT cost_total FROM " + s + "verified_daily_aggregates"))
          .isEqualTo(new BigDecimal("2.5"));
      assertThat(single(reader, "SELECT account_id FROM " + s + "verified_daily_breakdown"))
          .isEqualTo("acct-1");
      assertThat(single(reader, "SELECT newest_verified_day FROM " + s + "aggregation_freshness"))
          .isEqualTo(java.sql.Date.valueOf("2026-01-05"));
      assertThat(single(reader, "SELECT count(*) FROM " + s + "daily_aggregate_history"))
          .isEqualTo(0L);
      assertThat(single(reader, "SELECT count(*) FROM " + s + "daily_aggregate_breakdown_history"))
          .isEqualTo(0L);
      for (String denied :
          List.of(
              "SELECT * FROM " + s + "daily_aggregates",
              "SELECT * FROM " + s + "daily_aggregate_breakdown",
              "SELECT * FROM " + s + "job_runs",
              "SELECT * FROM " + s + "day_states",
              "SELECT * FROM " + s + "flyway_schema_history",
              "SELECT nextval('" + s + "lease_tokens')",
              "SELECT * FROM " + db.rawTable().quoted(),
              "DELETE FROM " + s + "verified_daily_aggregates",
              "UPDATE " + s + "daily_aggregate_history SET reason = 'forced'",
              "INSERT INTO "
                  + s
                  + "daily_aggregate_breakdown_history (day, revision, record_count,"
                  + " cost_total, input_tokens, output_tokens) VALUES ('2026-01-05', 1, 0, 0, 0, 0)",
              "CREATE TABLE " + s + "intruder (x int)")) {
        assertThatThrownBy(() -> reader.execute(denied))
            .as(denied)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied");
      }
    }
  }

  @Test
  void givenTheReadersGrantsWereLost_whenMigratedAgain_thenTheyAreReapplied() {
    TestDatabase db = PostgresFixture.freshDatabase();
    // only this test's schema: the role itself is cluster-wide and shared with other tests
    db.execute(
        "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM " + READER,
        "REVOKE USAGE ON SCHEMA {schema} FROM " + READER);
    assertThat(readable(db)).isEmpty();
    assertThat(db.value("SELECT has_schema_privilege(?, ?, 'USAGE')", READER, db.schema()))
        .isEqualTo(false);

    assertThat(SchemaMigrations.migrateOwned(db.url(), db.schema()))
        .as("migrations applied")
        .isZero();

    assertThat(readable(db)).containsExactlyInAnyOrderElementsOf(READ_CONTRACT);
    assertThat(db.value("SELECT has_schema_privilege(?, ?, 'USAGE')", READER, db.schema()))
        .isEqualTo(true);
  }

  /** The relations of the test's schema the reader role may SELECT. */
  private static List<Object> readable(TestDatabase db) {
    return db
        .query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S')"
                + " AND has_table_privilege(?, c.oid, 'SELECT')",
            db.schema(),
            READER)
        .stream()
        .map(r -> r.get("relname"))
        .toList();
  }

  private static Object single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      Object value = rs.getObject(1);
      assertThat(rs.next()).as(sql + ": one row").isFalse();
      return value;
    }
  }

  @Test
  void givenAnUnmigratedSchema_thenFunctionsRefuseToRun() {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (Database session = new Database(db.sessions(), Duration.ofMinutes(1))) {
      assertThatThrownBy(() -> SchemaVersion.requireCurrent(session, "not_there"))
          .isInstanceOf(SchemaNotCurrentException.class)
          .hasMessageContaining("schema not_there is not migrated")
          .hasMessageContaining("helix migrate");
    }
  }
}
