package com.helix.aggregation.functions.scheduled;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.schedule.ScheduledRunReport;
import com.helix.aggregation.core.schedule.ScheduledRunService;
import com.helix.aggregation.snapstart.SnapStartHooks;
import com.helix.aggregation.wiring.HelixWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduled aggregator (SPEC §5): reads the schedule's event (its own small JSON, or a classic
 * EventBridge scheduled event), runs the daily or hourly run, and answers with the run's summary.
 * The invocation fails only when the target day could not be aggregated or the environment failed,
 * so that Lambda's retries, the failure destination and the function-error alarm see it.
 */
public final class ScheduledAggregationHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The schedules' inputs, parsed before a SnapStart snapshot. */
  private static final List<String> SAMPLE_EVENTS =
      List.of(
          "{\"mode\":\"daily\",\"scheduledTime\":\"2026-11-28T00:05:00Z\",\"attempt\":\"1\","
              + "\"executionId\":\"helix-priming\"}",
          "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
              + "\"time\":\"2026-11-28T00:05:00Z\",\"detail\":{}}");

  private final ScheduledRunService runs;
  private final Clock clock;
  private final SnapStartHooks snapStart; // also CRaC's only strong reference to the hooks

  /**
   * Lambda's constructor: configuration and clients once per execution environment, and the
   * SnapStart hooks.
   */
  public ScheduledAggregationHandler() {
    this(HelixWiring.fromEnvironment());
  }

  /** What Lambda's constructor builds, on this wiring. */
  ScheduledAggregationHandler(HelixWiring wiring) {
    this(
        wiring.scheduledRuns(),
        Clock.systemUTC(),
        SnapStartHooks.register(wiring, ScheduledAggregationHandler::parseSampleEvents));
  }

  public ScheduledAggregationHandler(ScheduledRunService runs, Clock clock) {
    this(runs, clock, null);
  }

  private ScheduledAggregationHandler(
      ScheduledRunService runs, Clock clock, SnapStartHooks snapStart) {
    this.runs = runs;
    this.clock = clock;
    this.snapStart = snapStart;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ScheduledRunReport report =
        runs.run(
            ScheduledEvents.read(input.readAllBytes()),
            Deadline.ofInvocation(Duration.ofMillis(context.getRemainingTimeInMillis()), clock),
            context.getAwsRequestId());
    if (report.targetFailed()) {
      throw new TargetDayFailedException(report.summary());
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("mode", report.run().mode().value());
    response.put("targetDay", report.target().toString());
    response.put(
        "attempts",
        report.attempts().stream().map(a -> a.start().day() + " " + a.outcome().value()).toList());
    response.put("queuedAs", report.queuedAs().orElse(null));
    response.put("newestVerifiedDay", report.newestVerified().map(Object::toString).orElse(null));
    response.put("summary", report.summary());
    JSON.writeValue(output, response);
  }

  /** The SnapStart hooks of Lambda's constructor (null otherwise); tests drive them. */
  SnapStartHooks snapStart() {
    return snapStart;
  }

  private static void parseSampleEvents() {
    for (String event : SAMPLE_EVENTS) {
      ScheduledEvents.read(event.getBytes(StandardCharsets.UTF_8));
    }
    try {
      JSON.writeValue(
          OutputStream.nullOutputStream(),
          Map.of("mode", "daily", "attempts", List.of("2026-11-27 unchanged")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The target day could not be aggregated: the invocation fails, as the alarms need it to. */
  public static final class TargetDayFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TargetDayFailedException(String summary) {
      super(summary);
    }
  }
}
