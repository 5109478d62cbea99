package com.helix.aggregation.functions.backfill.http;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** The functions' HTTP client (AwsClients' settings), for the probe's HTTP-client comparison. */
public final class UrlConnectionHttpClients implements Supplier<SdkHttpClient> {
  @Override
  public SdkHttpClient get() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(5))
        .build();
  }
}
