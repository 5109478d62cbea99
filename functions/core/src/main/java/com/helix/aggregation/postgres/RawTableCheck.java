package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the raw table, which belongs to the Helix application: that it exists with the columns the
 * aggregation reads (money as {@code numeric}) and is readable; and, as warnings only (the table is
 * not ours to change), whether {@code occurred_at} is indexed and which columns allow NULL.
 */
public final class RawTableCheck {
  private static final Map<String, List<String>> REQUIRED_TYPES = requiredTypes();

  private final Database db;
  private final TableName rawTable;

  public RawTableCheck(Database db, TableName rawTable) {
    this.db = db;
    this.rawTable = rawTable;
  }

  /** Problems that make aggregation impossible; empty when the table is usable. */
  public List<String> problems() {
    Columns found = columns();
    Map<String, String> columns = found.types();
    List<String> problems = new ArrayList<>();
    if (columns.isEmpty()) {
      problems.add("raw table " + rawTable + " does not exist (HELIX_RAW_TABLE)");
      return problems;
    }
    if (!found.mayRead()) {
      problems.add(
          "the database user may not read raw table "
              + rawTable
              + ": its owner must GRANT SELECT ON "
              + rawTable
              + " to it");
    }
    REQUIRED_TYPES.forEach(
        (column, types) -> {
          String type = columns.get(column);
          if (type == null) {
            problems.add("raw table " + rawTable + " has no column " + column);
          } else if (!types.contains(type)) {
            problems.add(
                "raw table "
                    + rawTable
                    + " column "
                    + column
                    + " is "
                    + type
                    + ", expected "
                    + String.join(" or ", types));
          }
        });
    return problems;
  }

  /**
   * Warnings: no index starting with {@code occurred_at}, a nullable {@code occurred_at} (such a
   * record is in no day), and nullable figures (a NULL cost or token count is counted as a record
   * but adds nothing to the sums).
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    warnings.addAll(indexWarning());
    for (String column : nullableColumns()) {
      warnings.add(
          "raw table "
              + rawTable
              + " column "
              + column
              + (column.equals("occurred_at")
                  ? " allows NULL: such a record belongs to no day and is never aggregated"
                  : " allows NULL: such a record is counted but adds nothing to the sums"));
    }
    return warnings;
  }

  private List<String> nullableColumns() {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?)"
                      + " AND attname IN ('occurred_at', 'cost_usd', 'input_tokens', 'output_tokens')"
                      + " AND NOT attnotnull AND NOT attisdropped ORDER BY attname")) {
            ps.setString(1, rawTable.quoted());
            List<String> nullable = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                nullable.add(rs.getString(1));
              }
            }
            return nullable;
          }
        });
  }

  private List<String> indexWarning() {
    boolean indexed =
        db.autocommit(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a"
                          + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                          + " WHERE i.indrelid = to_regclass(?) AND a.attname = 'occurred_at')")) {
                ps.setString(1, rawTable.quoted());
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getBoolean(1);
                }
              }
            });
    return indexed
        ? List.of()
        : List.of(
            "raw table "
                + rawTable
                + " has no index on occurred_at: every day's aggregation scans the whole table"
                + " (ask its owner to CREATE INDEX ... ON "
                + rawTable
                + " (occurred_at))");
  }

  /** The raw table's columns and their types, and whether this user may read it. */
  private record Columns(Map<String, String> types, boolean mayRead) {}

  /** One round trip (every run checks this before its first day). */
  private Columns columns() {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT attname, format_type(atttypid, NULL),"
                      + " has_table_privilege(attrelid, 'SELECT') FROM pg_attribute"
                      + " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, rawTable.quoted());
            Map<String, String> found = new LinkedHashMap<>();
            boolean mayRead = false;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                found.put(rs.getString(1), rs.getString(2));
                mayRead = rs.getBoolean(3);
              }
            }
            return new Columns(found, mayRead);
          }
        });
  }

  private static Map<String, List<String>> requiredTypes() {
    Map<String, List<String>> types = new LinkedHashMap<>();
    List<String> integers = List.of("bigint", "integer");
    types.put("id", integers);
    types.put("occurred_at", List.of("timestamp with time zone"));
    types.put("account_id", List.of("text", "character varying"));
    types.put("model", List.of("text", "character varying"));
    types.put("input_tokens", integers);
    types.put("output_tokens", integers);
    types.put("cost_usd", List.of("numeric"));
    return types;
  }
}
