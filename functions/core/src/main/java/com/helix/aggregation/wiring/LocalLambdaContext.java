package com.helix.aggregation.wiring;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The Lambda context of an in-process invocation ({@code helix invoke}, and the tests that call a
 * handler directly): a new request id, and a remaining time that counts down from the timeout on
 * the given clock, as the real one does; the function's log goes to the given stream.
 */
public final class LocalLambdaContext implements Context {
  private final String functionName;
  private final Instant deadline;
  private final Clock clock;
  private final String requestId = UUID.randomUUID().toString();
  private final PrintStream log;

  public LocalLambdaContext(String functionName, Duration timeout, Clock clock, PrintStream log) {
    this.functionName = functionName;
    this.deadline = clock.instant().plus(timeout);
    this.clock = clock;
    this.log = log;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local/" + requestId;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:local:000000000000:function:" + functionName;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
  }

  @Override
  public int getMemoryLimitInMB() {
    return 1024;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        log.print(message);
      }

      @Override
      public void log(byte[] message) {
        log.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
