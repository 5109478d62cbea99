package com.helix.aggregation.snapstart;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK HTTP client that never touches the network: it answers each JSON-protocol operation (by
 * its {@code X-Amz-Target}) with a canned success, so that priming runs a client's whole request
 * path (marshalling, endpoint rules, signing, unmarshalling) before the snapshot.
 */
final class CannedHttpClient implements SdkHttpClient {
  private final Map<String, String> answers;

  /**
   * @param answers the response body per {@code X-Amz-Target} (e.g. {@code
   *     DynamoDB_20120810.UpdateItem}); any other operation gets {@code {}}
   */
  CannedHttpClient(Map<String, String> answers) {
    this.answers = Map.copyOf(answers);
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
    byte[] body = answers.getOrDefault(target, "{}").getBytes(StandardCharsets.UTF_8);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        return HttpExecuteResponse.builder()
            .response(
                SdkHttpResponse.builder()
                    .statusCode(200)
                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .putHeader("x-amzn-RequestId", "helix-priming")
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public String clientName() {
    return "HelixPriming";
  }

  @Override
  public void close() {}
}
