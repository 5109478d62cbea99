package com.helix.aggregation.cli;

import com.helix.aggregation.functions.backfill.BackfillWorkerHandler;
import com.helix.aggregation.functions.scheduled.ScheduledAggregationHandler;
import com.helix.aggregation.functions.slack.SlackAlarmNotifierHandler;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The project's Lambda functions as {@code helix invoke} knows them: name, handler (built with the
 * no-arg constructor Lambda uses) and timeout, which the template-matches-code test holds equal to
 * the template's.
 */
enum LambdaFunctions {
  SCHEDULED_AGGREGATOR(
      "scheduled-aggregator",
      ScheduledAggregationHandler.class,
      ScheduledAggregationHandler::new,
      900),
  BACKFILL_WORKER("backfill-worker", BackfillWorkerHandler.class, BackfillWorkerHandler::new, 900),
  SLACK_NOTIFIER(
      "slack-notifier", SlackAlarmNotifierHandler.class, SlackAlarmNotifierHandler::new, 30);

  private final String functionName;
  private final Class<?> handlerClass;
  private final Supplier<Object> handler;
  private final int timeoutSeconds;

  LambdaFunctions(
      String functionName, Class<?> handlerClass, Supplier<Object> handler, int timeoutSeconds) {
    this.functionName = functionName;
    this.handlerClass = handlerClass;
    this.handler = handler;
    this.timeoutSeconds = timeoutSeconds;
  }

  Class<?> handlerClass() {
    return handlerClass;
  }

  String functionName() {
    return functionName;
  }

  /** A new handler, as a fresh execution environment builds it. */
  Object newHandler() {
    return handler.get();
  }

  int timeoutSeconds() {
    return timeoutSeconds;
  }

  static Optional<LambdaFunctions> named(String name) {
    return Arrays.stream(values()).filter(f -> f.functionName.equals(name)).findFirst();
  }

  static String names() {
    return String.join(", ", Arrays.stream(values()).map(f -> f.functionName).toList());
  }
}
