package com.helix.aggregation.functions.backfill.http;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/** The SDK's Apache HttpClient 5 client, with the functions' timeouts. */
public final class Apache5HttpClients implements Supplier<SdkHttpClient> {
  @Override
  public SdkHttpClient get() {
    return Apache5HttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(5))
        .build();
  }
}
