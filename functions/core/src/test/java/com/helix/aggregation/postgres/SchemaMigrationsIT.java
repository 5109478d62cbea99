package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The owned schema's migrations: re-runnable, several databases per cluster, the read contract. */
class SchemaMigrationsIT {

  @Test
  void givenAMigratedSchema_whenMigratedAgain_thenNothingIsApplied() {
    TestDatabase db = PostgresFixture.freshDatabase();

    assertThat(SchemaMigrations.migrateOwned(db.url(), db.schema())).isZero();
    try (Database session = db.open()) {
      SchemaMigrations.requireCurrent(session, db.schema());
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
  void givenTheReaderRole_thenItReadsTheContractViewsAndNothingElse() throws Exception {
    TestDatabase db = PostgresFixture.freshDatabase();
    db.insertRaw(1, "2026-01-05T10:00:00Z", "acct-1", "gpt-large", 1, 1, "2.5");
    try (Harness worker = new Harness(db)) {
      worker.run(LocalDate.of(2026, 1, 5));
    }

    try (Connection c = DriverManager.getConnection(db.url());
        Statement s = c.createStatement()) {
      s.execute("SET ROLE " + SchemaMigrations.READER_ROLE);
      try (var rs =
          s.executeQuery("SELECT cost_total FROM " + db.schema() + ".verified_daily_aggregates")) {
        rs.next();
        assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("2.5");
      }
      try (var rs =
          s.executeQuery(
              "SELECT newest_verified_day FROM " + db.schema() + ".aggregation_freshness")) {
        rs.next();
        assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.of(2026, 1, 5));
      }
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM " + db.schema() + ".job_runs"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () -> s.executeUpdate("DELETE FROM " + db.schema() + ".verified_daily_aggregates"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void givenAnUnmigratedSchema_thenFunctionsRefuseToRun() {
    TestDatabase db = PostgresFixture.freshDatabase();
    try (Database session = new Database(db.sessions(), Duration.ofMinutes(1))) {
      assertThatThrownBy(() -> SchemaMigrations.requireCurrent(session, "not_there"))
          .isInstanceOf(SchemaNotCurrentException.class)
          .hasMessageContaining("schema not_there is not migrated")
          .hasMessageContaining("helix migrate");
    }
  }
}
