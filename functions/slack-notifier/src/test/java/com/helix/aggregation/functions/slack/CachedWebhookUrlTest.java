package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedWebhookUrlTest {
  private final AtomicInteger reads = new AtomicInteger();
  private final CachedWebhookUrl cache =
      new CachedWebhookUrl(
          () -> URI.create("https://hooks.slack.com/services/T/B/" + reads.incrementAndGet()));

  @Test
  void givenNoCallYet_thenNothingIsRead_soInitMakesNoNetworkCall() {
    assertThat(reads).hasValue(0);
  }

  @Test
  void givenManyCalls_thenTheSecretIsReadOnce() {
    URI first = cache.webhookUrl();

    assertThat(cache.webhookUrl()).isEqualTo(first);
    assertThat(cache.webhookUrl()).isEqualTo(first);
    assertThat(reads).hasValue(1);
  }

  @Test
  void givenASnapStartRestore_thenTheSecretIsReadAgain() throws Exception {
    cache.webhookUrl();

    cache.beforeCheckpoint(null);
    cache.afterRestore(null);

    assertThat(cache.webhookUrl()).hasToString("https://hooks.slack.com/services/T/B/2");
    assertThat(reads).hasValue(2);
  }

  @Test
  void givenACheckpoint_thenTheSnapshotHoldsNoUrl() throws Exception {
    cache.webhookUrl();

    cache.beforeCheckpoint(null);

    cache.webhookUrl();
    assertThat(reads).hasValue(2);
  }

  @Test
  void givenForget_thenTheNextCallReadsAgain() {
    cache.webhookUrl();
    cache.forget();
    cache.webhookUrl();

    assertThat(reads).hasValue(2);
  }
}
