package com.helix.aggregation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HelixConfigTest {

  @Test
  void givenNothingSet_thenTheDefaultsOfTheSpec() {
    HelixConfig config = HelixConfig.fromEnvironment(Map.of());

    assertThat(config.schema()).isEqualTo("helix_aggregation");
    assertThat(config.rawTable()).isEqualTo(new TableName(Optional.empty(), "usage_records"));
    assertThat(config.leaseTable()).isEmpty();
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(960));
    assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(480));
    assertThat(config.lookbackDays()).isEqualTo(7);
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.batchSize()).isEqualTo(7);
    assertThat(config.batchDelay()).isEqualTo(Duration.ofMillis(1000));
    assertThat(config.verifyTolerance()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(config.closedPeriodDays()).isEqualTo(35);
    assertThat(config.metricsNamespace()).isEqualTo("Helix/Aggregation");
  }

  @Test
  void givenValues_thenRead() {
    HelixConfig config =
        HelixConfig.fromEnvironment(
            Map.of(
                HelixConfig.RAW_TABLE, "app.usage_records",
                HelixConfig.LEASE_SECONDS, "5",
                HelixConfig.VERIFY_TOLERANCE, "0.01",
                HelixConfig.LEASE_TABLE, "helix-leases"));

    assertThat(config.rawTable().quoted()).isEqualTo("\"app\".\"usage_records\"");
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.verifyTolerance()).isEqualByComparingTo("0.01");
    assertThat(config.leaseTable()).contains("helix-leases");
  }

  @Test
  void givenBadValues_thenOneLineNamingTheVariable() {
    assertBad(HelixConfig.LOOKBACK_DAYS, "0", "HELIX_LOOKBACK_DAYS must be between 1 and 366");
    assertBad(HelixConfig.MAX_ATTEMPTS, "three", "HELIX_MAX_ATTEMPTS must be an integer");
    assertBad(HelixConfig.BATCH_DELAY_MS, "-1", "HELIX_BATCH_DELAY_MS must be between");
    assertBad(HelixConfig.VERIFY_TOLERANCE, "1e", "HELIX_VERIFY_TOLERANCE must be a decimal");
    assertBad(HelixConfig.RAW_TABLE, "a.b.c", "HELIX_RAW_TABLE: 'a.b.c' is not a table name");
    assertBad(HelixConfig.RAW_TABLE, "\"x\"", "HELIX_RAW_TABLE");
    assertBad(HelixConfig.SCHEMA, "1abc", "HELIX_SCHEMA must be a plain SQL identifier");
    assertBad(HelixConfig.LEASE_TABLE, "a b", "HELIX_LEASE_TABLE is not a DynamoDB table name");
    assertBad(
        HelixConfig.DATABASE_URL, "mysql://x?password=hunter2", "must be a PostgreSQL JDBC URL");
  }

  @Test
  void givenABadUrlWithAPassword_thenTheMessageHidesIt() {
    assertThatThrownBy(
            () ->
                HelixConfig.fromEnvironment(
                    Map.of(HelixConfig.DATABASE_URL, "postgres://u:hunter2@h/db?password=hunter2")))
        .hasMessageNotContaining("hunter2");
  }

  private static void assertBad(String variable, String value, String message) {
    assertThatThrownBy(() -> HelixConfig.fromEnvironment(Map.of(variable, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void givenTheBoundsOfARange_thenTheyAreAccepted_andOneBeyondRefused() {
    assertThat(HelixConfig.fromEnvironment(Map.of(HelixConfig.LOOKBACK_DAYS, "1")).lookbackDays())
        .isEqualTo(1);
    assertThat(HelixConfig.fromEnvironment(Map.of(HelixConfig.LOOKBACK_DAYS, "366")).lookbackDays())
        .isEqualTo(366);
    assertBad(HelixConfig.LOOKBACK_DAYS, "367", "HELIX_LOOKBACK_DAYS must be between 1 and 366");
    assertThat(HelixConfig.fromEnvironment(Map.of(HelixConfig.LEASE_SECONDS, "2")).leaseDuration())
        .isEqualTo(Duration.ofSeconds(2));
    assertBad(HelixConfig.LEASE_SECONDS, "1", "HELIX_LEASE_SECONDS must be between 2 and 86400");
  }

  @Test
  void givenAZeroTolerance_thenAccepted_andANegativeOneRefused() {
    assertThat(
            HelixConfig.fromEnvironment(Map.of(HelixConfig.VERIFY_TOLERANCE, "0"))
                .verifyTolerance())
        .isEqualByComparingTo("0");
    assertBad(HelixConfig.VERIFY_TOLERANCE, "-0.01", "HELIX_VERIFY_TOLERANCE must not be negative");
  }

  @Test
  void givenAPostgresJdbcUrl_thenItIsTheDatabaseUrl() {
    String url = "jdbc:postgresql://db.internal:5432/helix?user=helix&password=secret";

    assertThat(HelixConfig.fromEnvironment(Map.of(HelixConfig.DATABASE_URL, url)).databaseUrl())
        .contains(url);
  }

  @Test
  void givenUrlsWithCredentials_thenRedactedWithoutThem() {
    assertThat(
            DatabaseUrls.redact(
                "jdbc:postgresql://db:5432/helix?user=helix&password=secret&sslmode=require"))
        .isEqualTo("jdbc:postgresql://db:5432/helix?sslmode=require");
    assertThat(DatabaseUrls.redact("postgres://helix:secret@db/helix?password=secret"))
        .isEqualTo("postgres://db/helix");
    assertThat(DatabaseUrls.redact("jdbc:postgresql://db/helix"))
        .isEqualTo("jdbc:postgresql://db/helix");
  }
}
