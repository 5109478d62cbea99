package com.helix.aggregation.testing;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.dynamodb.DynamoDbLeaseProvider;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.postgres.PostgresLeaseProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The two lease adapters, for tests that run the same scenario on each. */
public enum LeaseBackend {
  POSTGRES,
  DYNAMODB;

  /** A fresh lease store for one test: a lease table in moto, or nothing for PostgreSQL. */
  public Setup setUp(TestDatabase db, Duration leaseDuration) {
    return new Setup(
        this, db, this == DYNAMODB ? MotoFixture.createLeaseTable() : null, leaseDuration);
  }

  /** One test's lease store. */
  public record Setup(LeaseBackend backend, TestDatabase db, String table, Duration leaseDuration) {

    /** Lease providers for in-process workers. */
    public Function<Database, LeaseProvider> providers() {
      if (backend == POSTGRES) {
        return session ->
            new PostgresLeaseProvider(session, db.schema(), leaseDuration, Clock.systemUTC());
      }
      DynamoDbClient dynamo = MotoFixture.dynamo();
      return session -> new DynamoDbLeaseProvider(dynamo, table, leaseDuration, Clock.systemUTC());
    }

    /** The environment of a worker process configured for this database and lease. */
    public Map<String, String> environment(String databaseUrl) {
      Map<String, String> env = new HashMap<>(db.environment());
      env.put(HelixConfig.DATABASE_URL, databaseUrl);
      env.put(HelixConfig.LEASE_SECONDS, Long.toString(leaseDuration.toSeconds()));
      if (backend == DYNAMODB) {
        env.putAll(MotoFixture.environment());
        env.put(HelixConfig.LEASE_TABLE, table);
      }
      return env;
    }
  }
}
