package com.helix.aggregation.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Feeds a queue's messages to a handler as Lambda's SQS event source does (batch size 1): receive,
 * build the {@link SQSEvent} with the record's attributes, call the handler, delete what its
 * partial batch response did not name, leave the rest to become visible again. FIFO ordering is the
 * queue's (moto enforces one in-flight message per group for batch size 1, as SQS does); the poller
 * adds none, so two pollers at once show whether it holds. It never long-polls: the test's moto
 * serves one request at a time, and a waiting receive would block every other call.
 */
public final class QueuePoller {
  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final Function<SQSEvent, SQSBatchResponse> handler;
  private final AtomicInteger invocations = new AtomicInteger();

  public QueuePoller(SqsClient sqs, String queueUrl, Function<SQSEvent, SQSBatchResponse> handler) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn =
        "arn:aws:sqs:us-east-1:123456789012:" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    this.handler = handler;
  }

  /** One receive and, if a message came, one invocation; false when nothing was received. */
  public boolean pollOnce(int visibilitySeconds) {
    List<Message> messages =
        sqs.receiveMessage(
                r ->
                    r.queueUrl(queueUrl)
                        .maxNumberOfMessages(1)
                        .waitTimeSeconds(0)
                        .visibilityTimeout(visibilitySeconds)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"))
            .messages();
    if (messages.isEmpty()) {
      return false;
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(messages.stream().map(this::record).toList());
    invocations.incrementAndGet();
    SQSBatchResponse response;
    try {
      response = handler.apply(event);
    } catch (RuntimeException failed) {
      return true; // a failed invocation: nothing is deleted, every message comes back
    }
    Set<String> again =
        response.getBatchItemFailures().stream()
            .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
            .collect(Collectors.toSet());
    for (Message message : messages) {
      if (!again.contains(message.messageId())) {
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      } else {
        sqs.changeMessageVisibility(
            v -> v.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
      }
    }
    return true;
  }

  /** Polls until the queue has been empty for {@code quiet}, or {@code limit} passed. */
  public void drain(Duration quiet, Duration limit) {
    Instant end = Instant.now().plus(limit);
    Instant lastWork = Instant.now();
    while (Instant.now().isBefore(end)) {
      if (pollOnce(300)) {
        lastWork = Instant.now();
      } else if (Duration.between(lastWork, Instant.now()).compareTo(quiet) > 0) {
        return;
      } else {
        sleep(50);
      }
    }
    throw new AssertionError("the queue " + queueUrl + " was not drained within " + limit);
  }

  public int invocations() {
    return invocations.get();
  }

  private SQSEvent.SQSMessage record(Message message) {
    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
    record.setMessageId(message.messageId());
    record.setReceiptHandle(message.receiptHandle());
    record.setBody(message.body());
    record.setMd5OfBody(message.md5OfBody());
    Map<String, String> attributes = new HashMap<>();
    message.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
    record.setAttributes(attributes);
    Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
    message
        .messageAttributes()
        .forEach(
            (k, v) -> {
              SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
              a.setDataType(v.dataType());
              a.setStringValue(v.stringValue());
              messageAttributes.put(k, a);
            });
    record.setMessageAttributes(messageAttributes);
    record.setEventSource("aws:sqs");
    record.setEventSourceArn(queueArn);
    record.setAwsRegion("us-east-1");
    return record;
  }

  /** Every message of a queue (in order per group), left as they were; for checks. */
  public static List<Message> peek(SqsClient sqs, String queueUrl) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> batch =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(0)
                          .visibilityTimeout(30)
                          .messageAttributeNames("All"))
              .messages();
      if (batch.isEmpty()) {
        break;
      }
      all.addAll(batch);
    }
    for (Message m : all) {
      sqs.changeMessageVisibility(
          v -> v.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }
    return all;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
