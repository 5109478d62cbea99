package com.helix.aggregation.config;

import com.helix.aggregation.core.RetryPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration of SPEC §10, read once from environment variables, the same for the CLI and the
 * functions. Unset means the default; a bad value is a {@link ConfigException} naming the variable.
 *
 * @param databaseUrl JDBC URL for local use; takes precedence over the secret
 * @param dbSecretArn Secrets Manager secret with host, port, dbname, username, password (on AWS)
 * @param dbProxyEndpoint an RDS Proxy endpoint ({@code host} or {@code host:port}) that replaces
 *     the secret's host
 * @param schema the owned schema
 * @param rawTable the raw usage records table
 * @param leaseTable the DynamoDB lease table; empty means the PostgreSQL lease
 * @param leaseDuration how long a lease lives without release: longer than any run
 * @param lookbackDays the catch-up window
 * @param maxAttempts failed attempts before a day is permanently failed
 * @param batchSize days per backfill batch
 * @param batchDelay pause between backfill batches
 * @param verifyTolerance allowed cost difference in verification
 * @param closedPeriodDays days after which a change to a day alarms billing
 * @param transientBudget how long transient errors (connection loss, a failover, an unreachable
 *     lease store) are retried inside an attempt before the run fails as an error of the
 *     environment
 */
public record HelixConfig(
    Optional<String> databaseUrl,
    Optional<String> dbSecretArn,
    Optional<String> dbProxyEndpoint,
    String schema,
    TableName rawTable,
    Optional<String> leaseTable,
    Duration leaseDuration,
    Optional<String> backfillQueueUrl,
    Optional<String> backfillDlqUrl,
    int lookbackDays,
    int maxAttempts,
    int batchSize,
    Duration batchDelay,
    BigDecimal verifyTolerance,
    int closedPeriodDays,
    Optional<String> slackWebhookSecretArn,
    String metricsNamespace,
    Duration transientBudget) {

  public static final String DATABASE_URL = "HELIX_DATABASE_URL";
  public static final String DB_SECRET_ARN = "HELIX_DB_SECRET_ARN";
  public static final String DB_PROXY_ENDPOINT = "HELIX_DB_PROXY_ENDPOINT";
  public static final String SCHEMA = "HELIX_SCHEMA";
  public static final String RAW_TABLE = "HELIX_RAW_TABLE";
  public static final String LEASE_TABLE = "HELIX_LEASE_TABLE";
  public static final String LEASE_SECONDS = "HELIX_LEASE_SECONDS";
  public static final String BACKFILL_QUEUE_URL = "HELIX_BACKFILL_QUEUE_URL";
  public static final String BACKFILL_DLQ_URL = "HELIX_BACKFILL_DLQ_URL";
  public static final String LOOKBACK_DAYS = "HELIX_LOOKBACK_DAYS";
  public static final String MAX_ATTEMPTS = "HELIX_MAX_ATTEMPTS";
  public static final String BATCH_SIZE = "HELIX_BATCH_SIZE";
  public static final String BATCH_DELAY_MS = "HELIX_BATCH_DELAY_MS";
  public static final String VERIFY_TOLERANCE = "HELIX_VERIFY_TOLERANCE";
  public static final String CLOSED_PERIOD_DAYS = "HELIX_CLOSED_PERIOD_DAYS";
  public static final String SLACK_WEBHOOK_SECRET_ARN = "HELIX_SLACK_WEBHOOK_SECRET_ARN";
  public static final String METRICS_NAMESPACE = "HELIX_METRICS_NAMESPACE";
  public static final String TRANSIENT_RETRY_SECONDS = "HELIX_TRANSIENT_RETRY_SECONDS";

  /** Every variable the code reads; the template test checks the template sets no others. */
  public static final List<String> VARIABLES =
      List.of(
          DATABASE_URL,
          DB_SECRET_ARN,
          DB_PROXY_ENDPOINT,
          SCHEMA,
          RAW_TABLE,
          LEASE_TABLE,
          LEASE_SECONDS,
          BACKFILL_QUEUE_URL,
          BACKFILL_DLQ_URL,
          LOOKBACK_DAYS,
          MAX_ATTEMPTS,
          BATCH_SIZE,
          BATCH_DELAY_MS,
          VERIFY_TOLERANCE,
          CLOSED_PERIOD_DAYS,
          SLACK_WEBHOOK_SECRET_ARN,
          METRICS_NAMESPACE,
          TRANSIENT_RETRY_SECONDS);

  /** Lambda's longest timeout (900 s) plus a 60 s margin: outlives any run that holds it. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(960);

  private static final Pattern DYNAMODB_TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

  public static HelixConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static HelixConfig fromEnvironment(Map<String, String> env) {
    Reader read = new Reader(env);
    return new HelixConfig(
        read.optional(DATABASE_URL).map(url -> requireJdbcUrl(url)),
        read.optional(DB_SECRET_ARN),
        read.optional(DB_PROXY_ENDPOINT),
        read.identifier(SCHEMA, "helix_aggregation"),
        read.tableName(RAW_TABLE, "usage_records"),
        read.optional(LEASE_TABLE).map(HelixConfig::requireDynamoDbTable),
        Duration.ofSeconds(read.integer(LEASE_SECONDS, DEFAULT_LEASE.toSeconds(), 2, 86_400)),
        read.optional(BACKFILL_QUEUE_URL),
        read.optional(BACKFILL_DLQ_URL),
        (int) read.integer(LOOKBACK_DAYS, 7, 1, 366),
        (int) read.integer(MAX_ATTEMPTS, 3, 1, 100),
        (int) read.integer(BATCH_SIZE, 7, 1, 1000),
        Duration.ofMillis(read.integer(BATCH_DELAY_MS, 1000, 0, 3_600_000)),
        read.nonNegativeDecimal(VERIFY_TOLERANCE, BigDecimal.ZERO),
        (int) read.integer(CLOSED_PERIOD_DAYS, 35, 1, 3660),
        read.optional(SLACK_WEBHOOK_SECRET_ARN),
        read.optional(METRICS_NAMESPACE).orElse("Helix/Aggregation"),
        Duration.ofSeconds(
            read.integer(
                TRANSIENT_RETRY_SECONDS,
                RetryPolicy.DEFAULT_TRANSIENT_BUDGET.toSeconds(),
                0,
                3600)));
  }

  /**
   * Bounds every SQL statement: half the lease, so a statement always ends (or is cancelled) while
   * its writer still holds the lease (SPEC §3).
   */
  public Duration statementTimeout() {
    return leaseDuration.dividedBy(2);
  }

  private static String requireJdbcUrl(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(
          DATABASE_URL
              + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db?user=...),"
              + " got '"
              + DatabaseUrls.redact(url)
              + "'");
    }
    return url;
  }

  private static String requireDynamoDbTable(String name) {
    if (!DYNAMODB_TABLE.matcher(name).matches()) {
      throw new ConfigException(
          LEASE_TABLE
              + " is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -): '"
              + name
              + "'");
    }
    return name;
  }

  /** Reads and validates single variables. */
  private record Reader(Map<String, String> env) {

    Optional<String> optional(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String identifier(String name, String fallback) {
      String value = optional(name).orElse(fallback);
      if (!TableName.isIdentifier(value)) {
        throw new ConfigException(
            name + " must be a plain SQL identifier (letters, digits, _), got '" + value + "'");
      }
      return value;
    }

    TableName tableName(String name, String fallback) {
      String value = optional(name).orElse(fallback);
      try {
        return TableName.parse(value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name + ": " + e.getMessage());
      }
    }

    long integer(String name, long fallback, long min, long max) {
      Optional<String> value = optional(name);
      if (value.isEmpty()) {
        return fallback;
      }
      try {
        long parsed = Long.parseLong(value.get());
        if (parsed < min || parsed > max) {
          throw new ConfigException(
              name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new ConfigException(name + " must be an integer, got '" + value.get() + "'");
      }
    }

    BigDecimal nonNegativeDecimal(String name, BigDecimal fallback) {
      Optional<String> value = optional(name);
      if (value.isEmpty()) {
        return fallback;
      }
      try {
        BigDecimal parsed = new BigDecimal(value.get());
        if (parsed.signum() < 0) {
          throw new ConfigException(name + " must not be negative, got " + value.get());
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new ConfigException(name + " must be a decimal number, got '" + value.get() + "'");
      }
    }
  }
}
