package com.helix.aggregation.functions.backfill;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.helix.aggregation.core.Deadline;
import com.helix.aggregation.core.queue.BackfillQueueWorker;
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
  private final BackfillQueueWorker worker;
  private final Clock clock;

  /** Lambda's constructor: configuration and clients once per execution environment. */
  public BackfillWorkerHandler() {
    this(HelixWiring.fromEnvironment().backfillWorker(), Clock.systemUTC());
  }

  public BackfillWorkerHandler(BackfillQueueWorker worker, Clock clock) {
    this.worker = worker;
    this.clock = clock;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<String> again =
        worker.process(
            event.getRecords().stream()
                .map(m -> BackfillMessages.decode(m.getMessageId(), m.getBody(), clock))
                .toList(),
            Deadline.in(Duration.ofMillis(context.getRemainingTimeInMillis()), clock));
    return SQSBatchResponse.builder()
        .withBatchItemFailures(
            again.stream().map(id -> new SQSBatchResponse.BatchItemFailure(id)).toList())
        .build();
  }
}
