package com.helix.aggregation.functions.backfill.http;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/** The SDK's Apache HttpClient 4 client, with the functions' timeouts. */
public final class ApacheHttpClients implements Supplier<SdkHttpClient> {
  @Override
  public SdkHttpClient get() {
    return ApacheHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(5))
        .build();
  }
}
