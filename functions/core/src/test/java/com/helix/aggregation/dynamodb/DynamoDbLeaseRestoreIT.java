package com.helix.aggregation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.core.TransientFailureException;
import com.helix.aggregation.testing.LossyProxy;
import com.helix.aggregation.testing.MotoFixture;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * After a SnapStart restore the lease forgets the owner ids it remembered: every clone of a
 * snapshot would remember the same ones, and two clones taking a lease "again" under one owner id
 * would both hold it.
 */
class DynamoDbLeaseRestoreIT {
  private LossyProxy proxy;
  private DynamoDbClient throughProxy;

  @BeforeEach
  void setUp() {
    proxy = new LossyProxy(URI.create(MotoFixture.endpoint()).getPort());
    throughProxy =
        DynamoDbClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(proxy.endpoint()))
            .build();
  }

  @AfterEach
  void tearDown() {
    throughProxy.close();
    proxy.close();
  }

  @Test
  void givenAnOwnerRememberedFromALostAnswer_whenRestored_thenTheLeaseIsNoLongerTakenUnderIt() {
    String table = MotoFixture.createLeaseTable();
    DynamoDbLeaseProvider provider =
        new DynamoDbLeaseProvider(throughProxy, table, Duration.ofMinutes(16), Clock.systemUTC());
    proxy.dropNextResponseThenCut();
    assertThatThrownBy(() -> provider.tryAcquire("daily-aggregate#2026-04-01"))
        .isInstanceOf(TransientFailureException.class);
    proxy.restore();

    provider.forgetRememberedOwners();

    assertThat(provider.tryAcquire("daily-aggregate#2026-04-01"))
        .as("held by the snapshot's owner id until it expires, not taken again under it")
        .isEmpty();
  }
}
