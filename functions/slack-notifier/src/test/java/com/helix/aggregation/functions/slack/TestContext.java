package com.helix.aggregation.functions.slack;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The Lambda context of one invocation: a request id and the time it has left. */
record TestContext(String requestId, Duration remaining) implements Context {

  static TestContext withTimeLeft(Duration remaining) {
    return new TestContext("req-" + System.nanoTime(), remaining);
  }

  /** The notifier's expected timeout (the template's, once it is wired). */
  static TestContext standard() {
    return withTimeLeft(Duration.ofSeconds(30));
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) remaining.toMillis();
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/helix-slack-notifier";
  }

  @Override
  public String getLogStreamName() {
    return "2026/11/30/[$LATEST]test";
  }

  @Override
  public String getFunctionName() {
    return "helix-slack-notifier";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:123456789012:function:helix-slack-notifier";
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
  public int getMemoryLimitInMB() {
    return 256;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        System.out.print(message);
      }

      @Override
      public void log(byte[] message) {
        System.out.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
