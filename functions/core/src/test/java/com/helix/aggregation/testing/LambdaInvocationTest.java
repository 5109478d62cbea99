package com.helix.aggregation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Reading an invocation from the emulator's log. The excerpts are the emulator's own output
 * (aws-lambda-rie at the pinned version, {@code --log-level debug}), shortened to the lines that
 * matter, for the cases the emulator suite does not provoke: a timeout and a failed init.
 */
class LambdaInvocationTest {

  @Test
  void givenAColdStart_thenInitAndInvokeDurationsAreTheRuntimesNotTheReportLinesInit() {
    String log =
        """
        [DEBUG] (rapid) invoke: -> POST /2015-03-31/functions/function/invocations map[X-Amzn-Requestid:[req-1]]
        START RequestId: req-1 Version: $LATEST
        [INFO] (rapid) INIT RTDONE(status: success)
        [INFO] (rapid) INIT REPORT(durationMs: 325.678000)
        [INFO] (rapid) INVOKE START(requestId: req-1)
        [DEBUG] (rapid) API request - POST /2018-06-01/runtime/invocation/req-1/response, Headers:map[]
        [INFO] (rapid) INVOKE RTDONE(status: success, produced bytes: 0, duration: 16.204000ms)
        END RequestId: req-1
        REPORT RequestId: req-1\tInit Duration: 0.14 ms\tDuration: 338.79 ms\tBilled Duration: 339 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\t
        """;

    LambdaInvocation invocation = LambdaInvocation.fromEmulator("req-1", 200, "{}", log);

    assertThat(invocation.failed()).isFalse();
    assertThat(invocation.errorType()).isEmpty();
    assertThat(invocation.initDuration()).contains(Duration.ofNanos(325_678_000));
    assertThat(invocation.duration()).contains(Duration.ofNanos(16_204_000));
    assertThat(invocation.reportedDuration()).contains(Duration.ofNanos(338_790_000));
  }

  @Test
  void givenTheRuntimePostedAnError_thenTheInvocationFailedWithTheDocumentsErrorType() {
    String log =
        """
        START RequestId: req-2 Version: $LATEST
        [INFO] (rapid) INVOKE START(requestId: req-2)
        [DEBUG] (rapid) API request - POST /2018-06-01/runtime/invocation/req-2/error, Headers:map[]
        [DEBUG] (rapid) Sending Error Response: Runtime.UserException
        [INFO] (rapid) INVOKE RTDONE(status: success, produced bytes: 0, duration: 27.661000ms)
        END RequestId: req-2
        REPORT RequestId: req-2\tDuration: 30.70 ms\tBilled Duration: 31 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\t
        """;
    String body = "{\"errorMessage\":\"boom!\",\"errorType\":\"java.lang.IllegalStateException\"}";

    LambdaInvocation invocation = LambdaInvocation.fromEmulator("req-2", 200, body, log);

    assertThat(invocation.failed()).isTrue();
    assertThat(invocation.errorType()).contains("java.lang.IllegalStateException");
    assertThat(invocation.initDuration()).isEmpty();
    assertThat(invocation.duration()).contains(Duration.ofNanos(27_661_000));
  }

  @Test
  void givenATimeout_thenTheInvocationFailedAsSandboxTimedoutWithoutARuntimeDuration() {
    String log =
        """
        START RequestId: to-1 Version: $LATEST
        [INFO] (rapid) INIT REPORT(durationMs: 403.203000)
        [INFO] (rapid) INVOKE START(requestId: to-1)
        [DEBUG] (rapid) Invoke() timeout
        [ERROR] (rapid) Invoke failed error=errResetReceived InvokeID=to-1
        [WARNING] (rapid) Reset initiated: Timeout
        END RequestId: to-1
        REPORT RequestId: to-1\tInit Duration: 0.02 ms\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 3008 MB\tMax Memory Used: 3008 MB\t
        """;

    LambdaInvocation invocation =
        LambdaInvocation.fromEmulator("to-1", 200, "Task timed out after 1.00 seconds", log);

    assertThat(invocation.failed()).isTrue();
    assertThat(invocation.errorType()).contains("Sandbox.Timedout");
    assertThat(invocation.duration()).isEmpty();
    assertThat(invocation.reportedDuration()).contains(Duration.ofSeconds(1));
  }

  @Test
  void givenAFailedInit_thenTheInvocationFailedWithTheInitErrorAndNoReport() {
    String log =
        """
        [DEBUG] (rapid) invoke: -> POST /2015-03-31/functions/function/invocations map[X-Amzn-Requestid:[init-1]]
        START RequestId: init-1 Version: $LATEST
        [DEBUG] (rapid) API request - POST /2018-06-01/runtime/init/error, Headers:map[]
        [DEBUG] (rapid) Sending Init Error Response: Runtime.BadFunctionCode
        [INFO] (rapid) INIT RTDONE(status: error)
        [INFO] (rapid) INIT REPORT(durationMs: 171.533000)
        [INFO] (rapid) INIT REPORT(durationMs: 0.046000)
        [ERROR] (rapid) Invoke failed error=Runtime exited with error: exit status 1 InvokeID=init-1
        """;
    String body =
        "{\"errorMessage\":\"no config\",\"errorType\":\"java.lang.IllegalStateException\"}";

    LambdaInvocation invocation = LambdaInvocation.fromEmulator("init-1", 502, body, log);

    assertThat(invocation.failed()).isTrue();
    assertThat(invocation.errorType()).contains("java.lang.IllegalStateException");
    assertThat(invocation.initDuration()).contains(Duration.ofNanos(171_533_000));
    assertThat(invocation.reportedDuration()).isEmpty();
  }
}
