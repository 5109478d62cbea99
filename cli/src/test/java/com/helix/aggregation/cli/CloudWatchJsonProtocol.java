package com.helix.aggregation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Test only: lets the CloudWatch client of the AWS SDK for Java (2.40.6 and newer speak Smithy RPC
 * v2 CBOR to CloudWatch) talk to moto, which serves CloudWatch's AWS JSON 1.0 protocol but not CBOR
 * (SPEC §12). Each call is rewritten on the way out (path {@code /}, {@code X-Amz-Target:
 * GraniteServiceVersion20100801.<Operation>}, JSON 1.0 content type, the CBOR body as JSON) and
 * back on the way in (the JSON body as CBOR, the {@code smithy-protocol} header the client checks).
 * Both protocols carry the same document (members by name, errors as {@code __type}), so only the
 * encoding changes; the client's request building, paging and parsing run as against AWS.
 *
 * <p>Registered for CloudWatch clients only, through the SDK's per-service interceptor file on the
 * test class path ({@code software/amazon/awssdk/services/cloudwatch/execution.interceptors}); it
 * is never on the CLI's own class path.
 */
public final class CloudWatchJsonProtocol implements ExecutionInterceptor {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ExecutionAttribute<Integer> JSON_LENGTH =
      new ExecutionAttribute<>("helix.test.jsonLength");

  @Override
  public Optional<RequestBody> modifyHttpContent(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    byte[] json =
        json(context.requestBody().map(CloudWatchJsonProtocol::bytes).orElse(new byte[0]));
    attributes.putAttribute(JSON_LENGTH, json.length);
    return Optional.of(RequestBody.fromBytes(json));
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    return context.httpRequest().toBuilder()
        .encodedPath("/")
        .removeHeader("smithy-protocol")
        .putHeader("X-Amz-Target", "GraniteServiceVersion20100801." + operation)
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("Accept", "application/json")
        .putHeader("Content-Length", String.valueOf(attributes.getAttribute(JSON_LENGTH)))
        .build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    return context
        .responseBody()
        .map(
            body -> {
              try {
                byte[] json = body.readAllBytes();
                JsonNode tree = json.length == 0 ? JSON.createObjectNode() : JSON.readTree(json);
                return new ByteArrayInputStream(CBOR.writeValueAsBytes(tree));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    return context.httpResponse().toBuilder()
        .putHeader("smithy-protocol", "rpc-v2-cbor")
        .putHeader("Content-Type", "application/cbor")
        .removeHeader("Content-Length")
        .build();
  }

  private static byte[] json(byte[] cbor) {
    try {
      return cbor.length == 0 ? "{}".getBytes() : JSON.writeValueAsBytes(CBOR.readTree(cbor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(RequestBody body) {
    try (InputStream in = body.contentStreamProvider().newStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
