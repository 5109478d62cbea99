package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.LeaseStoreId;
import com.helix.aggregation.core.SetupCheck;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The setup check of a run (SPEC §6), before its first day: the database reachable and its owned
 * schema at this build's version, the raw table present with its columns and readable, the owned
 * tables writable, the lease store reachable and the one this deployment uses. Each failure is one
 * line naming the problem and its fix; none is charged to a day.
 *
 * <p>The deployment's lease store ({@code lease_store}) is recorded by the first run that checks
 * it, and every later run must use the same: a command line on advisory locks and functions on a
 * DynamoDB table would not exclude each other, would close each other's live attempts as abandoned,
 * and their tokens would go backwards.
 */
public final class DatabaseSetupCheck implements SetupCheck {
  /** Owned tables a run uses, and how (the change log is consumed even with tracking off). */
  private static final List<String[]> WRITES =
      List.of(
          new String[] {"daily_aggregates", "SELECT, INSERT, UPDATE"},
          new String[] {"daily_aggregate_breakdown", "SELECT, INSERT, DELETE"},
          new String[] {"daily_aggregate_history", "INSERT"},
          new String[] {"daily_aggregate_breakdown_history", "INSERT"},
          new String[] {"job_runs", "SELECT, INSERT, UPDATE"},
          new String[] {"day_states", "SELECT, INSERT, UPDATE"},
          new String[] {"changed_days", "SELECT, DELETE"},
          new String[] {"change_tracking", "SELECT"},
          new String[] {"lease_store", "SELECT, INSERT"});

  private final Database db;
  private final String schema;
  private final TableName rawTable;
  private final LeaseProvider leases;

  public DatabaseSetupCheck(Database db, String schema, TableName rawTable, LeaseProvider leases) {
    this.db = db;
    this.schema = schema;
    this.rawTable = rawTable;
    this.leases = leases;
  }

  @Override
  public void verify() {
    SchemaVersion.requireCurrent(db, schema);
    List<String> problems = new RawTableCheck(db, rawTable).problems();
    if (!problems.isEmpty()) {
      throw new DatabaseSetupException(
          problems.get(0)
              + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
    }
    requirePrivileges();
    leases.verifyReachable();
    requireDeploymentLeaseStore(leases.id());
  }

  /**
   * The lease store this deployment recorded (the first run records its own).
   *
   * @throws LeaseStoreMismatchException when this run is configured for another
   */
  private void requireDeploymentLeaseStore(LeaseStoreId ours) {
    String table = TableName.quote(schema) + ".lease_store";
    Optional<LeaseStoreId> recorded =
        db.autocommit(
            c -> {
              // One round trip: the statement does not see its own insert, so what it
              // inserted comes back through RETURNING, what was recorded before from the table.
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "WITH recorded AS (INSERT INTO "
                          + table
                          + " (kind, location) VALUES (?, ?) ON CONFLICT (singleton) DO NOTHING"
                          + " RETURNING kind, location) SELECT kind, location FROM recorded"
                          + " UNION ALL SELECT kind, location FROM "
                          + table)) {
                ps.setString(1, ours.kind());
                ps.setString(2, ours.location());
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next()
                      ? Optional.of(new LeaseStoreId(rs.getString(1), rs.getString(2)))
                      : Optional.empty();
                }
              }
            });
    if (recorded.isPresent() && !recorded.get().equals(ours)) {
      throw new LeaseStoreMismatchException(
          "this deployment's leases are in "
              + recorded.get()
              + ", but this run is configured for "
              + ours
              + ": configure the same lease store everywhere (to move the deployment, stop every"
              + " run and DELETE FROM "
              + table
              + ")");
    }
  }

  /**
   * Every owned table a run uses, with each privilege it needs, in one round trip: one row per
   * privilege, since {@code has_table_privilege} with a list is true when any one of them is held.
   */
  private void requirePrivileges() {
    List<String[]> needed = new ArrayList<>();
    for (String[] table : WRITES) {
      for (String privilege : table[1].split(",\\s*")) {
        needed.add(new String[] {table[0], privilege});
      }
    }
    String values = String.join(", ", Collections.nCopies(needed.size(), "(?, ?, ?)"));
    Optional<String[]> missing =
        db.autocommit(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, privilege FROM (VALUES "
                          + values
                          + ") AS w(name, qualified, privilege)"
                          + " WHERE NOT coalesce(has_table_privilege(to_regclass(qualified), privilege), false)"
                          + " LIMIT 1")) {
                int i = 1;
                for (String[] row : needed) {
                  ps.setString(i++, row[0]);
                  ps.setString(i++, TableName.quote(schema) + "." + row[0]);
                  ps.setString(i++, row[1]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next()
                      ? Optional.of(new String[] {rs.getString(1), rs.getString(2)})
                      : Optional.empty();
                }
              }
            });
    if (missing.isPresent()) {
      throw new DatabaseSetupException(
          "the database user lacks "
              + missing.get()[1]
              + " on "
              + schema
              + "."
              + missing.get()[0]
              + " at "
              + db.describe()
              + ": grant them, or run as the user that ran `helix migrate`");
    }
  }
}
