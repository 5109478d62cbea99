package com.helix.aggregation.testing;

import com.helix.aggregation.wiring.LocalLambdaContext;
import java.time.Clock;
import java.time.Duration;

/** The Lambda context of one in-process invocation in a test, its log on standard output. */
public final class LambdaTestContext {
  private LambdaTestContext() {}

  /** An invocation of {@code functionName} with {@code remaining} time left. */
  public static LocalLambdaContext of(String functionName, Duration remaining) {
    return new LocalLambdaContext(functionName, remaining, Clock.systemUTC(), System.out);
  }
}
