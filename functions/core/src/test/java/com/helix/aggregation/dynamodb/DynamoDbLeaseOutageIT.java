package com.helix.aggregation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.LeaseProvider;
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
 * The lease store goes away mid-call (issue 8): an acquisition whose answer never came, or a
 * release that could not be sent, may leave the item ours. Once the store is back, the provider
 * takes it again at once instead of skipping its own day until the lease expires (16 minutes on
 * AWS); other holders are still refused.
 */
class DynamoDbLeaseOutageIT {
  private String table;
  private LossyProxy proxy;
  private DynamoDbClient throughProxy;
  private LeaseProvider provider;

  @BeforeEach
  void setUp() {
    table = MotoFixture.createLeaseTable();
    proxy = new LossyProxy(URI.create(MotoFixture.endpoint()).getPort());
    throughProxy =
        DynamoDbClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(proxy.endpoint()))
            .build();
    provider =
        new DynamoDbLeaseProvider(throughProxy, table, Duration.ofMinutes(16), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    throughProxy.close();
    proxy.close();
  }

  @Test
  void givenAnAcquisitionWhoseAnswerWasLostInAnOutage_thenTakenAgainOnceTheStoreIsBack() {
    proxy.dropNextResponseThenCut();

    assertThatThrownBy(() -> provider.tryAcquire("daily-aggregate#2026-04-01"))
        .isInstanceOf(TransientFailureException.class)
        .hasMessageContaining("unreachable");
    proxy.restore();

    assertThat(otherHolder().tryAcquire("daily-aggregate#2026-04-01"))
        .as("the lost acquisition took effect: the lease is held")
        .isEmpty();
    Lease lease = provider.tryAcquire("daily-aggregate#2026-04-01").orElseThrow();
    assertThat(provider.release(lease)).isTrue();
  }

  @Test
  void givenAReleaseThatCouldNotBeSent_thenTheLeaseIsOursToTakeAgain_andStillNobodyElses() {
    Lease lease = provider.tryAcquire("daily-aggregate#2026-04-02").orElseThrow();
    proxy.cut();

    assertThatThrownBy(() -> provider.release(lease)).isInstanceOf(TransientFailureException.class);
    proxy.restore();

    assertThat(otherHolder().tryAcquire("daily-aggregate#2026-04-02")).isEmpty();
    Lease again = provider.tryAcquire("daily-aggregate#2026-04-02").orElseThrow();
    assertThat(again.token()).isGreaterThan(lease.token());
    assertThat(provider.release(again)).isTrue();
    assertThat(otherHolder().tryAcquire("daily-aggregate#2026-04-02")).isPresent();
  }

  private LeaseProvider otherHolder() {
    return new DynamoDbLeaseProvider(
        MotoFixture.dynamo(), table, Duration.ofMinutes(16), Clock.systemUTC());
  }
}
