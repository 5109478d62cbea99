package com.helix.aggregation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.LeaseProviderContract;
import com.helix.aggregation.core.LeaseUnavailableException;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RetryPolicy;
import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.LossyProxy;
import com.helix.aggregation.testing.MotoFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB lease against moto, through the real SDK over HTTP. */
class DynamoDbLeaseProviderIT extends LeaseProviderContract {
  private static String table;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void createTable() {
    dynamo = MotoFixture.dynamo();
    table = MotoFixture.createLeaseTable();
  }

  @Override
  protected LeaseProvider leasesFor(Database session) {
    return new DynamoDbLeaseProvider(dynamo, table, Duration.ofSeconds(30), Clock.systemUTC());
  }

  @Test
  void givenAHolderThatNeverReleases_thenTheLeaseFreesAtItsExpiry() {
    LeaseProvider crashedHolder = holder();
    Lease crashed = crashedHolder.tryAcquire("daily-aggregate#2026-03-01").orElseThrow();
    LeaseProvider other = holder();
    assertThat(other.tryAcquire("daily-aggregate#2026-03-01")).isEmpty();

    // a holder whose clock is past the expiry: the test does not wait the 30 s, nor race them
    Lease taken = takeOverAfterExpiry("daily-aggregate#2026-03-01", crashed);

    assertThat(crashedHolder.release(crashed))
        .as("the old holder may not release it now")
        .isFalse();
    assertThat(other.tryAcquire("daily-aggregate#2026-03-01")).isEmpty();
    assertThat(item("daily-aggregate#2026-03-01").get("owner").s()).isEqualTo(taken.owner());
  }

  @Test
  void givenAReleasedLease_thenTheItemStays_soTokensKeepGrowing() {
    LeaseProvider a = holder();
    Lease lease = a.tryAcquire("daily-aggregate#2026-03-02").orElseThrow();
    a.release(lease);

    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                g ->
                    g.tableName(table)
                        .key(
                            Map.of("lock_key", AttributeValue.fromS("daily-aggregate#2026-03-02"))))
            .item();
    assertThat(item).containsKey("token").doesNotContainKey("owner");
    assertThat(item.get("expires_at").n()).isEqualTo("0");
  }

  @Test
  void givenTheLockServiceIsDown_thenNothingIsAggregated_andTheAttemptNamesTableAndEndpoint() {
    db.insertRaw(1, "2026-03-03T10:00:00Z", "acct-1", "gpt-large", 1, 1, "1");
    int closedPort = MotoFixture.freePort();
    try (DynamoDbClient down = MotoFixture.unreachableDynamo(closedPort);
        Harness worker =
            new Harness(
                db,
                db.sessions(),
                Clock.systemUTC(),
                s ->
                    new DynamoDbLeaseProvider(
                        down, table, Duration.ofSeconds(30), Clock.systemUTC()),
                RetryPolicy.defaults(3, Duration.ofSeconds(3)))) {
      AttemptReport report = worker.run(LocalDate.of(2026, 3, 3));

      assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(report.failure().orElseThrow().message())
          .contains("DynamoDB table " + table)
          .contains("http://127.0.0.1:" + closedPort)
          .contains("unreachable");
      // An outage of the lock service is not the day's failure: fail closed, charge nothing.
      assertThat(report.countsAgainstDay()).isFalse();
      assertThat(report.endsRun()).isTrue();
      assertThat(worker.store.find(LocalDate.of(2026, 3, 3))).isEmpty();
      assertThat(db.value("SELECT outcome FROM {schema}.job_runs")).isEqualTo("failed");
      assertThat(db.value("SELECT counts_against_day FROM {schema}.job_runs")).isEqualTo(false);
      assertThat(db.value("SELECT error_class FROM {schema}.job_runs"))
          .isEqualTo("EnvironmentUnavailableException");
      assertThat(
              db.count("SELECT count(*) FROM {schema}.day_states WHERE consecutive_failures > 0"))
          .isZero();
    }
  }

  @Test
  void givenTheAnswerToATakenLeaseIsLost_thenTheSdksRetryRecognisesItsOwnLease() {
    int motoPort = java.net.URI.create(MotoFixture.endpoint()).getPort();
    try (LossyProxy proxy = new LossyProxy(motoPort);
        DynamoDbClient lossy =
            DynamoDbClient.builder()
                .httpClient(
                    software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .endpointOverride(java.net.URI.create(proxy.endpoint()))
                .build()) {
      LeaseProvider provider =
          new DynamoDbLeaseProvider(lossy, table, Duration.ofSeconds(30), Clock.systemUTC());
      proxy.dropNextResponse();

      Lease lease = provider.tryAcquire("daily-aggregate#2026-03-05").orElseThrow();

      assertThat(proxy.dropped()).as("the first answer was lost").isTrue();
      Map<String, AttributeValue> item =
          dynamo
              .getItem(
                  g ->
                      g.tableName(table)
                          .key(
                              Map.of(
                                  "lock_key", AttributeValue.fromS("daily-aggregate#2026-03-05"))))
              .item();
      assertThat(item.get("owner").s()).isEqualTo(lease.owner());
      assertThat(item.get("token").n()).isEqualTo(Long.toString(lease.token()));
      assertThat(holder().tryAcquire("daily-aggregate#2026-03-05")).isEmpty();
      assertThat(provider.release(lease)).isTrue();
    }
  }

  @Test
  void givenALeaseTakenOverAfterItsExpiry_whenTheOldHolderRenewsIt_thenDynamoDbRefuses() {
    String key = "daily-aggregate#2026-03-06";
    LeaseProvider old = holder();
    Lease lost = old.tryAcquire(key).orElseThrow();
    Lease taken = takeOverAfterExpiry(key, lost);
    Map<String, AttributeValue> before = item(key);

    // The old provider did acquire this owner id, so it asks DynamoDB: only the server can refuse.
    assertThat(old.renew(lost)).as("renewal by the holder that lost the lease").isFalse();

    Map<String, AttributeValue> after = item(key);
    assertThat(after).as("the new holder's lease item is untouched").isEqualTo(before);
    assertThat(after.get("owner").s()).isEqualTo(taken.owner());
    assertThat(after.get("expires_at").n())
        .isEqualTo(Long.toString(taken.expiresAt().toEpochMilli()));
  }

  @Test
  void givenALeaseTakenOverAfterItsExpiry_whenTheOldHolderReleasesIt_thenDynamoDbRefuses() {
    String key = "daily-aggregate#2026-03-07";
    LeaseProvider old = holder();
    Lease lost = old.tryAcquire(key).orElseThrow();
    Lease taken = takeOverAfterExpiry(key, lost);
    Map<String, AttributeValue> before = item(key);

    // The old provider did acquire this owner id, so it asks DynamoDB: only the server can refuse.
    assertThat(old.release(lost)).as("release by the holder that lost the lease").isFalse();

    Map<String, AttributeValue> after = item(key);
    assertThat(after).as("the new holder's lease item is untouched").isEqualTo(before);
    assertThat(after.get("owner").s()).isEqualTo(taken.owner());
    assertThat(after.get("expires_at").n())
        .isEqualTo(Long.toString(taken.expiresAt().toEpochMilli()));
    assertThat(holder().tryAcquire(key)).as("the new holder's lease still excludes").isEmpty();
  }

  /**
   * Another holder takes the lease once it has expired: its clock is a minute past the old lease's
   * expiry, as the old holder's would be after a long pause, without the test waiting for it.
   */
  private Lease takeOverAfterExpiry(String key, Lease expired) {
    Clock pastExpiry =
        Clock.offset(
            Clock.systemUTC(),
            Duration.between(java.time.Instant.now(), expired.expiresAt()).plusMinutes(1));
    Lease taken =
        new DynamoDbLeaseProvider(dynamo, table, Duration.ofSeconds(30), pastExpiry)
            .tryAcquire(key)
            .orElseThrow();
    assertThat(taken.token()).isGreaterThan(expired.token());
    assertThat(item(key).get("owner").s()).isEqualTo(taken.owner());
    return taken;
  }

  private static Map<String, AttributeValue> item(String key) {
    return dynamo
        .getItem(
            g ->
                g.tableName(table)
                    .key(Map.of("lock_key", AttributeValue.fromS(key)))
                    .consistentRead(true))
        .item();
  }

  @Test
  void givenTheLeaseTableIsMissing_thenFailsClosedNamingIt() {
    LeaseProvider missing =
        new DynamoDbLeaseProvider(
            dynamo, "no-such-table", Duration.ofSeconds(30), Clock.systemUTC());

    assertThatThrownBy(() -> missing.tryAcquire("daily-aggregate#2026-03-04"))
        .isInstanceOf(LeaseUnavailableException.class)
        .hasMessageContaining(
            "DynamoDB table no-such-table does not exist at " + MotoFixture.endpoint());
  }
}
