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
}
