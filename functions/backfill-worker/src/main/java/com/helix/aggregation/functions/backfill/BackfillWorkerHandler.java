package com.helix.aggregation.functions.backfill;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.queue.BackfillQueueWorker;
import com.helix.aggregation.snapstart.SnapStartHooks;
import com.helix.aggregation.sqs.BackfillMessages;
import com.helix.aggregation.wiring.HelixWiring;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The backfill worker (SPEC §7): reads each SQS message of the FIFO backfill queue as one day, and
 * answers with a partial batch response naming only the messages to deliver again. The queue's
 * event source has batch size 1, so an invocation is one day.
 */
public final class BackfillWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  /** A day's message as the queue carries it, parsed before a SnapStart snapshot. */
  private static final String SAMPLE_BODY =
      "{\"day\":\"2025-10-01\",\"requestId\":\"helix-priming\",\"force\":false,"
          + "\"includeToday\":false}";

  private final BackfillQueueWorker worker;
  private final Clock clock;
  private final SnapStartHooks snapStart; // also CRaC's only strong reference to the hooks

  /**
   * Lambda's constructor: configuration and clients once per execution environment, and the
   * SnapStart hooks.
   */
  public BackfillWorkerHandler() {
    this(HelixWiring.fromEnvironment());
  }

  /** What Lambda's constructor builds, on this wiring. */
  BackfillWorkerHandler(HelixWiring wiring) {
    this(
        wiring.backfillWorker(),
        Clock.systemUTC(),
        SnapStartHooks.register(wiring, BackfillWorkerHandler::parseSampleMessage));
  }

  public BackfillWorkerHandler(BackfillQueueWorker worker, Clock clock) {
    this(worker, clock, null);
  }

  private BackfillWorkerHandler(BackfillQueueWorker worker, Clock clock, SnapStartHooks snapStart) {
    this.worker = worker;
    this.clock = clock;
    this.snapStart = snapStart;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<String> again =
        worker.process(
            event.getRecords().stream()
                .map(m -> BackfillMessages.decode(m.getMessageId(), m.getBody(), clock))
                .toList(),
            Deadline.ofInvocation(Duration.ofMillis(context.getRemainingTimeInMillis()), clock));
    return SQSBatchResponse.builder()
        .withBatchItemFailures(
            again.stream().map(id -> new SQSBatchResponse.BatchItemFailure(id)).toList())
        .build();
  }

  /** The SnapStart hooks of Lambda's constructor (null otherwise); tests drive them. */
  SnapStartHooks snapStart() {
    return snapStart;
  }

  private static void parseSampleMessage() {
    BackfillMessages.decode("helix-priming", SAMPLE_BODY, Clock.systemUTC());
    SQSBatchResponse.builder()
        .withBatchItemFailures(List.of(new SQSBatchResponse.BatchItemFailure("helix-priming")))
        .build();
  }
}
