package com.helix.aggregation.functions.backfill;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/**
 * The worker as a SnapStart snapshot holds it, for the cold-start measurements: Lambda's
 * constructor, then its SnapStart hooks' checkpoint (priming, releasing) and restore, all during
 * initialization. Its first invocation approximates a restored clone's first invocation (without
 * the restore itself, which cannot be measured here); its init shows what the priming costs.
 */
public final class PrimedBackfillWorkerHandler
    implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final BackfillWorkerHandler worker = new BackfillWorkerHandler();

  public PrimedBackfillWorkerHandler() {
    worker.snapStart().beforeCheckpoint(null);
    worker.snapStart().afterRestore(null);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return worker.handleRequest(event, context);
  }
}
