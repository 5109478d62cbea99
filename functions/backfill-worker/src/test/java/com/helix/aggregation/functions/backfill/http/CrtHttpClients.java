package com.helix.aggregation.functions.backfill.http;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;

/** The SDK's AWS CRT client (native, this machine's build of it), with the connect timeout. */
public final class CrtHttpClients implements Supplier<SdkHttpClient> {
  @Override
  public SdkHttpClient get() {
    return AwsCrtHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build();
  }
}
