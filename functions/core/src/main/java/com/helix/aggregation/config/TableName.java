package com.helix.aggregation.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A plain or schema-qualified SQL identifier, validated and quoted: configured names are never
 * concatenated into SQL unchecked (SPEC §1). Quoting keeps the name exactly as written, so {@code
 * usage_records} and {@code public.usage_records} are what they say.
 */
public record TableName(Optional<String> schema, String name) {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  public TableName {
    schema.ifPresent(s -> requireIdentifier(s, "schema"));
    requireIdentifier(name, "name");
  }

  /**
   * Parses {@code name} or {@code schema.name}.
   *
   * @throws IllegalArgumentException when it is not such an identifier
   */
  public static TableName parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length == 1 && isIdentifier(parts[0])) {
      return new TableName(Optional.empty(), parts[0]);
    }
    if (parts.length == 2 && isIdentifier(parts[0]) && isIdentifier(parts[1])) {
      return new TableName(Optional.of(parts[0]), parts[1]);
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a table name (expected name or schema.name; letters, digits, _)");
  }

  public static boolean isIdentifier(String text) {
    return text != null && IDENTIFIER.matcher(text).matches();
  }

  /** Quotes a validated identifier for SQL. */
  public static String quote(String identifier) {
    requireIdentifier(identifier, "identifier");
    return '"' + identifier + '"';
  }

  /** The name for SQL, each part quoted. */
  public String quoted() {
    return schema.map(s -> quote(s) + ".").orElse("") + quote(name);
  }

  /** The name as written, for messages. */
  @Override
  public String toString() {
    return schema.map(s -> s + ".").orElse("") + name;
  }

  private static void requireIdentifier(String text, String what) {
    if (!isIdentifier(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a valid SQL " + what);
    }
  }
}
