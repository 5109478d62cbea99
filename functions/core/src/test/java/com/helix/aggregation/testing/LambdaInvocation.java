package com.helix.aggregation.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One invocation through {@link LambdaEmulator}: what the caller got back, and what the emulator
 * logged about it.
 *
 * @param status the emulator's HTTP status: 200 also for a function error (as Lambda), 502 when the
 *     function could not initialise
 * @param body the function's response, or the runtime's error document ({@code errorType}, {@code
 *     errorMessage}, {@code stackTrace}), or the emulator's {@code Task timed out after ...}
 * @param failed whether the invocation failed, as Lambda's {@code X-Amz-Function-Error} header
 *     would say: the runtime reported an invocation or init error, or the emulator gave up on the
 *     runtime (a timeout, a runtime that exited)
 * @param errorType the error document's {@code errorType} ({@code Sandbox.Timedout} on a timeout)
 * @param initDuration the function's initialisation, on the cold start only (the emulator's {@code
 *     INIT REPORT}; its REPORT line's "Init Duration" is not it: the emulator initialises lazily,
 *     inside the first invocation, and only times the call that starts it)
 * @param duration the runtime's time for the invocation, Lambda's "Duration" (the emulator's {@code
 *     INVOKE RTDONE}); absent when the runtime never answered
 * @param reportedDuration the REPORT line's "Duration": the emulator's wall time for the request,
 *     which on the cold start includes the initialisation
 */
public record LambdaInvocation(
    String requestId,
    int status,
    String body,
    boolean failed,
    Optional<String> errorType,
    Optional<Duration> initDuration,
    Optional<Duration> duration,
    Optional<Duration> reportedDuration) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INIT_REPORT =
      Pattern.compile("INIT REPORT\\(durationMs: ([0-9.]+)\\)");
  private static final Pattern INVOKE_DONE =
      Pattern.compile("INVOKE RTDONE\\(status: [^,]+, .*duration: ([0-9.]+)ms\\)");
  private static final Pattern TIMEOUT = Pattern.compile("Reset initiated: Timeout");

  /**
   * Reads an invocation from the emulator's answer and its log from the invocation's first line on
   * (the emulator runs with {@code --log-level debug}, which logs the runtime's API calls).
   */
  static LambdaInvocation fromEmulator(String requestId, int status, String body, String log) {
    boolean timedOut = TIMEOUT.matcher(log).find();
    boolean failed =
        status != 200
            || timedOut
            || log.contains("/runtime/invocation/" + requestId + "/error")
            || log.contains("/runtime/init/error")
            || log.contains("(rapid) Invoke failed");
    Optional<String> errorType =
        timedOut ? Optional.of("Sandbox.Timedout") : failed ? errorType(body) : Optional.empty();
    Matcher report =
        Pattern.compile(
                "REPORT RequestId: "
                    + Pattern.quote(requestId)
                    + "\t(?:Init Duration: [0-9.]+ ms\t)?Duration: ([0-9.]+) ms")
            .matcher(log);
    return new LambdaInvocation(
        requestId,
        status,
        body,
        failed,
        errorType,
        firstMillis(INIT_REPORT.matcher(log)),
        firstMillis(INVOKE_DONE.matcher(log)),
        firstMillis(report));
  }

  private static Optional<String> errorType(String body) {
    try {
      JsonNode document = JSON.readTree(body);
      return document != null && document.path("errorType").isTextual()
          ? Optional.of(document.get("errorType").asText())
          : Optional.empty();
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> firstMillis(Matcher matcher) {
    if (!matcher.find()) {
      return Optional.empty();
    }
    BigDecimal nanos = new BigDecimal(matcher.group(1)).movePointRight(6);
    return Optional.of(Duration.ofNanos(nanos.longValue()));
  }
}
