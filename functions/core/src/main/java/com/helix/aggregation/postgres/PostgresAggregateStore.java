package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.AggregateStore;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.FencedException;
import com.helix.aggregation.core.RawTotals;
import com.helix.aggregation.core.SourceHash;
import com.helix.aggregation.core.SourceHash.Algorithm;
import com.helix.aggregation.core.Totals;
import com.helix.aggregation.core.TransientFailureException;
import com.helix.aggregation.core.Verification;
import com.helix.aggregation.core.VerificationReport;
import com.helix.aggregation.core.WriteRequest;
import com.helix.aggregation.core.WriteResult;
import com.helix.aggregation.core.WriteResult.Change;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The aggregate store on PostgreSQL: the SQL of {@code daily_aggregates}, its breakdown and their
 * history, and the reads of the raw table that feed them. PostgreSQL does the aggregating; Java
 * never holds a day's raw rows.
 */
public final class PostgresAggregateStore implements AggregateStore {

  /**
   * The first record hash ({@link Algorithm#H1}): each typed field hashed with its own seed, so
   * equal values in different columns differ, combined with {@code xor} and mixed once more. The
   * instant is hashed as its UTC wall time (microseconds, independent of the session time zone);
   * {@code hash_numeric_extended} ignores the display scale (1.5 and 1.50 hash alike). Hash
   * functions return NULL for NULL, so each is coalesced to a constant of its own, so a NULL field
   * still counts. The constants are arbitrary 64-bit values, not small seeds: {@code
   * hash_numeric_extended('NaN', 7)} is 7, so a small constant would make a NULL cost and a NaN
   * cost hash alike.
   *
   * <p>The UTC wall time is taken {@code AT TIME ZONE INTERVAL '0'}: the same timestamp, bit for
   * bit (infinities included), as {@code AT TIME ZONE 'UTC'}, which the first version used, but
   * without looking the zone's name up for every record (issue 12: 50-60 ms less per million
   * records without parallel workers, a fifth of the hash's cost). {@code RecordHashStabilityIT}
   * pins the values.
   */
  private static final String H1_RECORD_HASH =
      """
      hashint8extended(
            coalesce(hashint8extended(id, 1), -6348559271382364837)
          # coalesce(timestamp_hash_extended(occurred_at AT TIME ZONE INTERVAL '0', 2),
                     4153898453213960411)
          # coalesce(hashtextextended(account_id, 3), -2719543380276114629)
          # coalesce(hashtextextended(model, 4), 7920466359012684913)
          # coalesce(hashint8extended(input_tokens, 5), -5123917020462811467)
          # coalesce(hashint8extended(output_tokens, 6), 2838913264012977399)
          # coalesce(hash_numeric_extended(cost_usd, 7), -8817396501847562191), 0)""";

  /**
   * A cost's hash, seeded by the cost's sign: {@code hash_numeric_extended} ignores the sign (in H1
   * a cost of 12.50 and one of -12.50 hash alike, so a charge turned into a credit went unseen).
   */
  private static final String COST_BY_SIGN =
      "hash_numeric_extended(cost_usd,"
          + " CASE WHEN cost_usd < 0 THEN -3887340466453364717 ELSE 6290426245213049219 END)";

  /**
   * The current record hash ({@link Algorithm#H2}): the same typed fields hashed in a chain, each
   * field's hash the seed of the next, so a field's position counts without a seed of its own, an
   * {@code xor} or a final mix (issue 12: eight function calls a record instead of fourteen).
   *
   * <p>The cost comes first, {@link #COST_BY_SIGN}: besides ignoring the sign, {@code
   * hash_numeric_extended} returns its seed for NaN and the infinities and {@code seed - 1} for
   * zero, and mixes a value's decimal weight in by {@code xor} only; every hash after it mixes all
   * 64 bits of its seed again, so none of that shows through (with the cost last, swapping two
   * costs 10000 times apart between two records went unseen about half the time). NaN and +Infinity
   * still hash alike, as in H1.
   *
   * <p>Hash functions are strict, so a NULL anywhere makes the chain NULL. Such a record (rare: the
   * contract's columns are normally NOT NULL) is hashed by H1's expression with the cost by its
   * sign too, which counts each NULL.
   */
  private static final String H2_RECORD_HASH =
      """
      coalesce(
        hashint8extended(output_tokens,
          hashint8extended(input_tokens,
            hashtextextended(model,
              hashtextextended(account_id,
                timestamp_hash_extended(occurred_at AT TIME ZONE INTERVAL '0',
                  hashint8extended(id, %s)))))),
        %s)"""
          .formatted(
              COST_BY_SIGN,
              H1_RECORD_HASH.replace("hash_numeric_extended(cost_usd, 7)", COST_BY_SIGN));

  private static final String HEADER_COLUMNS =
      "day, record_count, cost_total, input_tokens, output_tokens, source_hash, complete,"
          + " verification, lease_token, revision, computed_at, verified_at";
  private static final String FIGURES = "record_count, cost_total, input_tokens, output_tokens";
  private static final String GROUP_COLUMNS = "account_id, model, " + FIGURES;

  private final Database db;
  private final String aggregates;
  private final String breakdown;
  private final String history;
  private final String breakdownHistory;
  private final String raw;
  private final PostgresChangeLog changes;

  public PostgresAggregateStore(Database db, String schema, TableName rawTable) {
    this.db = db;
    this.changes = new PostgresChangeLog(db, schema, rawTable);
    String s = TableName.quote(schema) + ".";
    this.aggregates = s + "daily_aggregates";
    this.breakdown = s + "daily_aggregate_breakdown";
    this.history = s + "daily_aggregate_history";
    this.breakdownHistory = s + "daily_aggregate_breakdown_history";
    this.raw = rawTable.quoted();
  }

  @Override
  public WriteResult aggregate(LocalDate day, WriteRequest request) {
    try {
      return db.inDaysWorkTransaction(
          Connection.TRANSACTION_REPEATABLE_READ, c -> aggregateInSnapshot(c, day, request));
    } catch (TransientFailureException e) {
      if (PostgresErrors.isSerializationFailure(e)) {
        throw new FencedException(
            "another writer committed "
                + day
                + " after this transaction's snapshot; its figures stand",
            e);
      }
      throw e;
    }
  }

  /**
   * One REPEATABLE READ transaction. The snapshot is taken by the first read, so the stored
   * aggregate and the raw data are read as of the same moment. The first lock or write on the
   * header row (a row lock of an existing day, the insert of a new one) fails with a serialization
   * error if another writer committed this day since the snapshot, so a stale writer can never
   * overwrite newer figures; it comes before any other write.
   */
  private WriteResult aggregateInSnapshot(Connection c, LocalDate day, WriteRequest request)
      throws SQLException {
    WriteResult result = writeInSnapshot(c, day, request);
    // What this snapshot saw is now aggregated (or found unchanged): its log entries are done.
    changes.consume(c, day);
    return result;
  }

  private WriteResult writeInSnapshot(Connection c, LocalDate day, WriteRequest request)
      throws SQLException {
    Optional<DailyAggregate> existing = find(c, day);
    // A trusted day is hashed first (one scan, no grouping): unchanged raw data ends here.
    boolean firstHashDiffered = false;
    if (existing.isPresent() && existing.get().isTrusted() && !request.force()) {
      if (stillMatches(c, day, existing.get().sourceHash())) {
        return new WriteResult(Change.UNCHANGED, existing.get(), existing);
      }
      firstHashDiffered = true;
    }
    Computed computed = computeGroups(c, day);
    if (existing.isEmpty()) {
      DailyAggregate created = create(c, day, computed, request);
      insertBreakdown(c, day);
      return new WriteResult(Change.CREATED, created, existing);
    }
    DailyAggregate stored = existing.get();
    lockHeader(c, day);
    boolean rawChanged = firstHashDiffered || rawDataChanged(c, stored, computed);
    if (!rawChanged && sameFigures(c, stored, computed, request.complete())) {
      Change change = stored.isVerified() ? Change.UNCHANGED : Change.SAME_CONTENT_UNVERIFIED;
      return new WriteResult(change, stored, existing);
    }
    DailyAggregate written = replace(c, stored, computed, request, rawChanged);
    insertBreakdown(c, day);
    return new WriteResult(Change.REPLACED, written, existing);
  }

  /**
   * Has the raw data changed since {@code stored} was computed? Compared by the stored hash's own
   * algorithm: the grouping scan's hash when it is the current one, else one more scan (only for a
   * day stored by an earlier version and forced or untrusted since).
   */
  private boolean rawDataChanged(Connection c, DailyAggregate stored, Computed computed)
      throws SQLException {
    SourceHash storedHash = stored.sourceHash();
    return storedHash.algorithm() == computed.sourceHash().algorithm()
        ? !storedHash.equals(computed.sourceHash())
        : !stillMatches(c, stored.day(), storedHash);
  }

  /** The header and hash of a freshly computed day. */
  private record Computed(Totals totals, SourceHash sourceHash) {}

  /** Row-locks the stored header: fails at once if a newer writer committed it. */
  private void lockHeader(Connection c, LocalDate day) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM " + aggregates + " WHERE day = ? FOR UPDATE")) {
      ps.setObject(1, day);
      ps.executeQuery().close();
    }
  }

  /**
   * Groups the day's raw records by (account, model) into a temp table, with each group's
   * record-hash sum: one scan yields the breakdown, the header and the source hash. It is a {@code
   * CREATE TEMP TABLE ... AS}, not an {@code INSERT ... SELECT}: PostgreSQL runs the grouping scan
   * in parallel for the former and never for the latter (measured: 237 ms against 447 ms for a
   * million records). The table is dropped at the end of the transaction, whatever its end. A
   * utility statement takes no parameters: the day's bounds are literals of a {@link LocalDate},
   * which also lets the planner prune the partitions of a partitioned raw table at plan time.
   */
  private Computed computeGroups(Connection c, LocalDate day) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(groupingStatement(day));
    }
    String header =
        "SELECT coalesce(sum(record_count), 0), coalesce(sum(cost_total), 0),"
            + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
            + " coalesce(sum(hash_sum), 0) FROM pg_temp.helix_day_groups";
    try (PreparedStatement ps = c.prepareStatement(header);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Computed(
          totals(rs, 1),
          SourceHash.ofSum(Algorithm.CURRENT, rs.getBigDecimal(5).toBigIntegerExact()));
    }
  }

  private String groupingStatement(LocalDate day) {
    // A NULL cost or token count adds nothing to a sum (as in the verification's sum of costs); a
    // group whose values are all NULL sums to 0, not NULL.
    return "CREATE TEMP TABLE helix_day_groups ON COMMIT DROP AS SELECT account_id, model,"
        + " count(*) AS record_count, coalesce(sum(cost_usd), 0) AS cost_total,"
        // bigint as the breakdown stores them: a sum that overflows fails here, the day's error
        + " coalesce(sum(input_tokens), 0)::bigint AS input_tokens,"
        + " coalesce(sum(output_tokens), 0)::bigint AS output_tokens, sum("
        + recordHash(Algorithm.CURRENT)
        + ") AS hash_sum FROM "
        + raw
        + " WHERE "
        + SqlValues.dayRangeLiteral("occurred_at", day)
        + " GROUP BY account_id, model";
  }

  /**
   * The plan of a day's grouping scan, without running it ({@code EXPLAIN}): which partitions of a
   * partitioned raw table it reads, whether it runs in parallel. For {@code helix bench} and tests.
   */
  public List<String> groupingPlan(LocalDate day) {
    return db.autocommit(
        c -> {
          List<String> lines = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) " + groupingStatement(day))) {
            while (rs.next()) {
              lines.add(rs.getString(1));
            }
          }
          return lines;
        });
  }

  /** Same totals, completeness and breakdown rows as stored? */
  private boolean sameFigures(
      Connection c, DailyAggregate existing, Computed computed, boolean complete)
      throws SQLException {
    if (!existing.totals().sameAs(computed.totals()) || existing.complete() != complete) {
      return false;
    }
    String stored = "SELECT " + GROUP_COLUMNS + " FROM " + breakdown + " WHERE day = ?";
    String fresh = "SELECT " + GROUP_COLUMNS + " FROM pg_temp.helix_day_groups";
    String differs =
        "SELECT EXISTS ("
            + fresh
            + " EXCEPT "
            + stored
            + ") OR EXISTS ("
            + stored
            + " EXCEPT "
            + fresh
            + ")";
    try (PreparedStatement ps = c.prepareStatement(differs)) {
      ps.setObject(1, existing.day());
      ps.setObject(2, existing.day());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return !rs.getBoolean(1);
      }
    }
  }

  /** Inserts a new day's header; the insert fences a concurrent creator of the same day. */
  private DailyAggregate create(Connection c, LocalDate day, Computed computed, WriteRequest r)
      throws SQLException {
    // ON CONFLICT turns a clash with another writer's row, invisible to this snapshot, into a
    // serialization failure (fenced) rather than a unique violation.
    String sql =
        "INSERT INTO "
            + aggregates
            + " ("
            + HEADER_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, 'unverified', ?, 1, now(), NULL)"
            + " ON CONFLICT (day) DO NOTHING RETURNING "
            + HEADER_COLUMNS;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, day);
      setFigures(ps, 2, computed.totals());
      ps.setString(6, computed.sourceHash().value());
      ps.setBoolean(7, r.complete());
      ps.setLong(8, r.leaseToken());
      return returnedHeader(ps, day);
    }
  }

  /** Moves the stored content into history and replaces the header in place, revision + 1. */
  private DailyAggregate replace(
      Connection c, DailyAggregate existing, Computed computed, WriteRequest r, boolean rawChanged)
      throws SQLException {
    LocalDate day = existing.day();
    String reason = replaceReason(existing, rawChanged, r);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + history
                + " ("
                + HEADER_COLUMNS
                + ", replaced_at, reason) SELECT "
                + HEADER_COLUMNS
                + ", now(), ? FROM "
                + aggregates
                + " WHERE day = ?")) {
      ps.setString(1, reason);
      ps.setObject(2, day);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + breakdownHistory
                + " (day, revision, "
                + GROUP_COLUMNS
                + ") SELECT day, ?, "
                + GROUP_COLUMNS
                + " FROM "
                + breakdown
                + " WHERE day = ?")) {
      ps.setInt(1, existing.revision());
      ps.setObject(2, day);
      ps.executeUpdate();
    }
    DailyAggregate written;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + aggregates
                + " SET record_count = ?, cost_total = ?, input_tokens = ?, output_tokens = ?,"
                + " source_hash = ?, complete = ?, verification = 'unverified', lease_token = ?,"
                + " revision = revision + 1, computed_at = now(), verified_at = NULL"
                + " WHERE day = ? RETURNING "
                + HEADER_COLUMNS)) {
      setFigures(ps, 1, computed.totals());
      ps.setString(5, computed.sourceHash().value());
      ps.setBoolean(6, r.complete());
      ps.setLong(7, r.leaseToken());
      ps.setObject(8, day);
      written = returnedHeader(ps, day);
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + breakdown + " WHERE day = ?")) {
      ps.setObject(1, day);
      ps.executeUpdate();
    }
    return written;
  }

  private static String replaceReason(DailyAggregate existing, boolean rawChanged, WriteRequest r) {
    if (rawChanged) {
      return "changed";
    }
    if (!existing.isVerified()) {
      return "unverified";
    }
    if (!existing.complete()) {
      return "partial";
    }
    return r.force() ? "forced" : "changed";
  }

  private void insertBreakdown(Connection c, LocalDate day) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + breakdown
                + " (day, "
                + GROUP_COLUMNS
                + ") SELECT ?, "
                + GROUP_COLUMNS
                + " FROM pg_temp.helix_day_groups")) {
      ps.setObject(1, day);
      ps.executeUpdate();
    }
  }

  private DailyAggregate returnedHeader(PreparedStatement ps, LocalDate day) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        // Only possible if another writer's row became visible: treat as the fence it is.
        throw new SQLException(
            "aggregate of " + day + " was written concurrently",
            PostgresErrors.SERIALIZATION_FAILURE);
      }
      return header(rs);
    }
  }

  @Override
  public VerificationReport verify(LocalDate day, BigDecimal costTolerance) {
    try {
      return db.inDaysWorkTransaction(
          Connection.TRANSACTION_REPEATABLE_READ, c -> verifyInSnapshot(c, day, costTolerance));
    } catch (TransientFailureException e) {
      if (!PostgresErrors.isSerializationFailure(e)) {
        throw e;
      }
      // A newer writer replaced the day while we read: it verifies its own figures.
      DailyAggregate current = find(day).orElseThrow();
      return new VerificationReport(
          day,
          current.revision(),
          current.totals(),
          RawTotals.of(current.totals()),
          current.totals(),
          costTolerance,
          true,
          false);
    }
  }

  private VerificationReport verifyInSnapshot(Connection c, LocalDate day, BigDecimal tolerance)
      throws SQLException {
    DailyAggregate stored =
        find(c, day).orElseThrow(() -> new IllegalStateException("no aggregate stored for " + day));
    Totals breakdownSum;
    RawTotals rawSum;
    // The breakdown's sums and the raw table's in one round trip. The raw read is the cheapest
    // exact one, count and cost (no token sums, no grouping, no hash: issue 12, 15 ms less per
    // million records without parallel workers), and still runs in parallel.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT * FROM (SELECT coalesce(sum(record_count), 0), coalesce(sum(cost_total), 0),"
                + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0) FROM "
                + breakdown
                + " WHERE day = ?) b CROSS JOIN (SELECT count(*), coalesce(sum(cost_usd), 0) FROM "
                + raw
                + " WHERE occurred_at >= ? AND occurred_at < ?) r")) {
      ps.setObject(1, day);
      SqlValues.bindDayRange(ps, 2, day);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        breakdownSum = totals(rs, 1);
        rawSum = new RawTotals(rs.getLong(5), rs.getBigDecimal(6));
      }
    }
    VerificationReport report =
        new VerificationReport(
            day, stored.revision(), stored.totals(), rawSum, breakdownSum, tolerance, false, false);
    if (!report.passed()) {
      // Did the raw data move since it was aggregated (a day still receiving writes), or are the
      // stored figures wrong? The same snapshot tells: only the second is the day's failure.
      boolean moved = !stillMatches(c, day, stored.sourceHash());
      report =
          new VerificationReport(
              day,
              stored.revision(),
              stored.totals(),
              rawSum,
              breakdownSum,
              tolerance,
              false,
              moved);
    }
    // Only the revision we read is marked; verified_at moves only when verification passes.
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + aggregates
                + " SET verification = ?, verified_at = CASE WHEN ? THEN now() END"
                + " WHERE day = ? AND revision = ? AND source_hash = ?")) {
      Verification result = report.passed() ? Verification.VERIFIED : Verification.UNVERIFIED;
      ps.setString(1, result.value());
      ps.setBoolean(2, report.passed());
      ps.setObject(3, day);
      ps.setInt(4, stored.revision());
      ps.setString(5, stored.sourceHash().value());
      ps.executeUpdate();
    }
    return report;
  }

  @Override
  public Optional<DailyAggregate> find(LocalDate day) {
    return db.autocommit(c -> find(c, day));
  }

  private Optional<DailyAggregate> find(Connection c, LocalDate day) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + HEADER_COLUMNS + " FROM " + aggregates + " WHERE day = ?")) {
      ps.setObject(1, day);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(header(rs)) : Optional.empty();
      }
    }
  }

  @Override
  public List<DailyAggregate> findBetween(LocalDate from, LocalDate to) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + HEADER_COLUMNS
                      + " FROM "
                      + aggregates
                      + " WHERE day BETWEEN ? AND ? ORDER BY day")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            List<DailyAggregate> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                found.add(header(rs));
              }
            }
            return found;
          }
        });
  }

  @Override
  public Optional<LocalDate> newestVerifiedDay() {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT max(day) FROM "
                          + aggregates
                          + " WHERE verification = 'verified' AND complete");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.ofNullable(rs.getObject(1, LocalDate.class));
          }
        });
  }

  @Override
  public SourceHash currentSourceHash(LocalDate day, Algorithm algorithm) {
    return db.autocommit(c -> sourceHash(c, day, algorithm));
  }

  /** The SQL expression hashing one raw record by an algorithm. */
  private static String recordHash(Algorithm algorithm) {
    return switch (algorithm) {
      case H1 -> H1_RECORD_HASH;
      case H2 -> H2_RECORD_HASH;
    };
  }

  /** Does the day's raw data in this snapshot still hash to a stored hash, by its algorithm? */
  private boolean stillMatches(Connection c, LocalDate day, SourceHash stored) throws SQLException {
    return stored.equals(sourceHash(c, day, stored.algorithm()));
  }

  /** The source hash alone: one scan of the day, no grouping (the cheap unchanged check). */
  private SourceHash sourceHash(Connection c, LocalDate day, Algorithm algorithm)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT coalesce(sum("
                + recordHash(algorithm)
                + "), 0) FROM "
                + raw
                + " WHERE occurred_at >= ? AND occurred_at < ?")) {
      SqlValues.bindDayRange(ps, 1, day);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return SourceHash.ofSum(algorithm, rs.getBigDecimal(1).toBigIntegerExact());
      }
    }
  }

  private static void setFigures(PreparedStatement ps, int index, Totals totals)
      throws SQLException {
    ps.setLong(index, totals.recordCount());
    ps.setBigDecimal(index + 1, totals.cost());
    ps.setLong(index + 2, totals.inputTokens());
    ps.setLong(index + 3, totals.outputTokens());
  }

  /** Count, cost and token sums from four columns starting at {@code first}. */
  private static Totals totals(ResultSet rs, int first) throws SQLException {
    return new Totals(
        rs.getLong(first),
        rs.getBigDecimal(first + 1),
        rs.getBigDecimal(first + 2).longValueExact(),
        rs.getBigDecimal(first + 3).longValueExact());
  }

  private static DailyAggregate header(ResultSet rs) throws SQLException {
    long token = rs.getLong("lease_token");
    Long leaseToken = rs.wasNull() ? null : token;
    return new DailyAggregate(
        rs.getObject("day", LocalDate.class),
        new Totals(
            rs.getLong("record_count"),
            rs.getBigDecimal("cost_total"),
            rs.getLong("input_tokens"),
            rs.getLong("output_tokens")),
        new SourceHash(rs.getString("source_hash")),
        rs.getBoolean("complete"),
        Verification.fromValue(rs.getString("verification")),
        leaseToken,
        rs.getInt("revision"),
        SqlValues.instant(rs, "computed_at"),
        SqlValues.instant(rs, "verified_at"));
  }
}
