package com.helix.aggregation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.HelixConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * A function's environment exactly as the template sets it, each variable given this test's value:
 * the database by its secret (in moto's Secrets Manager, as on AWS), the lease table and the
 * backfill queues created afresh in moto, the template's literals and parameter defaults as they
 * are; plus the standard AWS variables that point the SDK at moto.
 */
public final class TemplateEnvironment {
  private TemplateEnvironment() {}

  /**
   * @param overrides values of this test for template variables (e.g. a throttle of 0 ms)
   */
  public static Map<String, String> of(
      TemplateFunction function, TestDatabase db, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    Map<String, String> template = function.environment();
    if (template.containsKey(HelixConfig.DB_SECRET_ARN)) {
      values.put(HelixConfig.DB_SECRET_ARN, SecretRoles.secretFor(db, "postgres"));
      values.put(HelixConfig.SCHEMA, db.schema());
      values.put(HelixConfig.RAW_TABLE, db.rawTable().toString());
    }
    if (template.containsKey(HelixConfig.LEASE_TABLE)) {
      values.put(HelixConfig.LEASE_TABLE, MotoFixture.createLeaseTable());
    }
    if (template.containsKey(HelixConfig.BACKFILL_QUEUE_URL)) {
      values.putAll(MotoFixture.createBackfillQueues().environment());
    }
    values.putAll(overrides);
    Map<String, String> env = new HashMap<>();
    template.forEach((name, value) -> env.put(name, values.getOrDefault(name, value)));
    assertThat(values.keySet())
        .as("every value given is one the template sets")
        .isSubsetOf(env.keySet());
    assertThat(env).as("every variable of the template has a value").doesNotContainValue(null);
    env.putAll(MotoFixture.environment());
    return env;
  }
}
