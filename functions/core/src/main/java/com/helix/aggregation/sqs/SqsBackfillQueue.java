package com.helix.aggregation.sqs;

import com.helix.aggregation.core.EnvironmentException;
import com.helix.aggregation.core.TransientFailureException;
import com.helix.aggregation.core.queue.BackfillMessage;
import com.helix.aggregation.core.queue.BackfillQueue;
import com.helix.aggregation.core.queue.DeadLetter;
import com.helix.aggregation.core.queue.QueueDepth;
import com.helix.aggregation.core.queue.QueuedMessage;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The backfill queue on SQS (SPEC §7): a FIFO queue where every backfill message carries one
 * message group id, so SQS keeps one day in flight, and a FIFO dead-letter queue where each day has
 * its own group (so that listing it is never blocked behind one day's messages). The message
 * deduplication id is the day and the request: a send retried after a lost answer is dropped by
 * SQS, a deliberate re-run (a new request) is not.
 */
public final class SqsBackfillQueue implements BackfillQueue {
  /** The one message group of every backfill message: one day in flight at a time. */
  public static final String GROUP = "backfill";

  /** Message attributes of a dead letter: why it is there. */
  public static final String REASON = "helix-reason";

  public static final String ERROR_CLASS = "helix-error-class";
  public static final String ATTEMPTS = "helix-attempts";
  public static final String DAY = "helix-day";
  public static final String REQUEST_ID = "helix-request-id";
  public static final String SOURCE_MESSAGE_ID = "helix-source-message-id";

  /** The error class of a day that SQS itself moved to the dead-letter queue. */
  public static final String MAX_RECEIVE_COUNT = "MaxReceiveCount";

  /** SQS limits: 10 entries a batch, 256 KiB a message; reasons are kept well inside that. */
  private static final int BATCH = 10;

  private static final int MAX_REASON = 4000;

  private final SqsClient sqs;
  private final String queueUrl;
  private final Optional<String> deadLetterUrl;
  private final Clock clock;

  public SqsBackfillQueue(SqsClient sqs, String queueUrl, Optional<String> deadLetterUrl) {
    this(sqs, queueUrl, deadLetterUrl, Clock.systemUTC());
  }

  /**
   * @param clock what the worker's decoder checks a day against (no future day, no today without
   *     {@code includeToday}), for letters SQS itself moved here
   */
  public SqsBackfillQueue(
      SqsClient sqs, String queueUrl, Optional<String> deadLetterUrl, Clock clock) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.deadLetterUrl = deadLetterUrl;
    this.clock = clock;
  }

  @Override
  public void enqueue(List<BackfillMessage> days) {
    for (int start = 0; start < days.size(); start += BATCH) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (BackfillMessage day : days.subList(start, Math.min(start + BATCH, days.size()))) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(entries.size()))
                .messageBody(BackfillMessages.encode(day))
                .messageGroupId(GROUP)
                .messageDeduplicationId(day.deduplicationId())
                .build());
      }
      sendBatch(entries);
    }
  }

  /** Sends one batch; entries that failed on the service's side are sent again (same ids). */
  private void sendBatch(List<SendMessageBatchRequestEntry> entries) {
    List<SendMessageBatchRequestEntry> pending = entries;
    for (int round = 1; !pending.isEmpty(); round++) {
      List<SendMessageBatchRequestEntry> sending = pending;
      SendMessageBatchResponse response =
          call(
              "send to the backfill queue",
              () -> sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(sending)));
      List<SendMessageBatchRequestEntry> failed = new ArrayList<>();
      for (BatchResultErrorEntry error : response.failed()) {
        if (Boolean.TRUE.equals(error.senderFault()) || round >= 3) {
          throw new IllegalStateException(
              "the backfill queue "
                  + queueUrl
                  + " refused a message: "
                  + error.code()
                  + " "
                  + error.message());
        }
        pending.stream().filter(e -> e.id().equals(error.id())).forEach(failed::add);
      }
      pending = failed;
    }
  }

  @Override
  public void deadLetter(DeadLetter letter) {
    String dlq = requireDeadLetterQueue();
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    attributes.put(REASON, text(truncate(letter.reason())));
    attributes.put(ERROR_CLASS, text(letter.errorClass()));
    attributes.put(
        ATTEMPTS,
        MessageAttributeValue.builder()
            .dataType("Number")
            .stringValue(Integer.toString(letter.attempts()))
            .build());
    attributes.put(SOURCE_MESSAGE_ID, text(letter.sourceMessageId()));
    letter.day().ifPresent(d -> attributes.put(DAY, text(d.toString())));
    letter.requestId().ifPresent(r -> attributes.put(REQUEST_ID, text(r)));
    call(
        "send to the dead-letter queue",
        () ->
            sqs.sendMessage(
                b ->
                    b.queueUrl(dlq)
                        .messageBody(letter.body().isEmpty() ? "(empty)" : letter.body())
                        // one group per day: a listing is never blocked behind one day's letters
                        .messageGroupId(letter.day().map(LocalDate::toString).orElse("poison"))
                        .messageDeduplicationId("dlq#" + letter.sourceMessageId())
                        .messageAttributes(attributes)));
  }

  @Override
  public List<DeadLetter> receiveDeadLetters(int holdSeconds) {
    String dlq = requireDeadLetterQueue();
    List<DeadLetter> letters = new ArrayList<>();
    while (true) {
      List<Message> batch =
          call(
                  "read the dead-letter queue",
                  () ->
                      sqs.receiveMessage(
                          b ->
                              b.queueUrl(dlq)
                                  .maxNumberOfMessages(BATCH)
                                  .visibilityTimeout(holdSeconds)
                                  .waitTimeSeconds(0)
                                  .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                                  .messageAttributeNames("All")))
              .messages();
      if (batch.isEmpty()) {
        return letters;
      }
      batch.forEach(m -> letters.add(deadLetter(m)));
    }
  }

  @Override
  public void remove(DeadLetter letter) {
    String dlq = requireDeadLetterQueue();
    call(
        "delete from the dead-letter queue",
        () ->
            sqs.deleteMessage(b -> b.queueUrl(dlq).receiptHandle(letter.receipt().orElseThrow())));
  }

  @Override
  public void putBack(DeadLetter letter) {
    String dlq = requireDeadLetterQueue();
    try {
      call(
          "release a dead letter",
          () ->
              sqs.changeMessageVisibility(
                  b ->
                      b.queueUrl(dlq)
                          .receiptHandle(letter.receipt().orElseThrow())
                          .visibilityTimeout(0)));
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof ReceiptHandleIsInvalidException)) { // else: already deleted
        throw e;
      }
    }
  }

  @Override
  public QueueDepth depth() {
    Map<QueueAttributeName, String> queue = counts(queueUrl);
    long dead =
        deadLetterUrl
            .map(url -> parse(counts(url).get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
            .orElse(0L);
    return new QueueDepth(
        parse(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
        parse(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
        dead);
  }

  @Override
  public String describe() {
    return "SQS queue "
        + queueUrl
        + deadLetterUrl.map(d -> " (dead-letter queue " + d + ")").orElse("");
  }

  private Map<QueueAttributeName, String> counts(String url) {
    return call(
            "read the queue's depth",
            () ->
                sqs.getQueueAttributes(
                    b ->
                        b.queueUrl(url)
                            .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)))
        .attributes();
  }

  private DeadLetter deadLetter(Message m) {
    Map<String, MessageAttributeValue> a = m.messageAttributes();
    Optional<String> reason = attribute(a, REASON);
    if (reason.isEmpty()) {
      return movedBySqs(m);
    }
    return new DeadLetter(
        m.body(),
        attribute(a, DAY).map(LocalDate::parse),
        attribute(a, REQUEST_ID),
        reason.get(),
        attribute(a, ERROR_CLASS).orElse(DeadLetter.POISON),
        attribute(a, ATTEMPTS).map(Integer::parseInt).orElse(0),
        attribute(a, SOURCE_MESSAGE_ID).orElse(m.messageId()),
        Optional.of(m.receiptHandle()));
  }

  /**
   * A message the queue's redrive policy moved here after {@code maxReceiveCount} receives carries
   * the backfill message's own body and none of the worker's attributes: a worker killed or timed
   * out every time, or every invocation failed on the environment (a long database outage, the
   * schema not migrated). Read as the worker reads it, it is that day again; only a body the worker
   * could not read either is poison.
   */
  private DeadLetter movedBySqs(Message m) {
    QueuedMessage read = BackfillMessages.decode(m.messageId(), m.body(), clock);
    Optional<BackfillMessage> day = read.message();
    String why =
        "moved here by SQS after maxReceiveCount receives (workers killed, timed out or failing"
            + " on the environment)";
    return new DeadLetter(
        m.body(),
        day.map(BackfillMessage::day),
        day.map(BackfillMessage::requestId),
        read.poison().map(p -> p + "; " + why).orElse(why),
        day.isPresent() ? MAX_RECEIVE_COUNT : DeadLetter.POISON,
        0,
        m.messageId(),
        Optional.of(m.receiptHandle()));
  }

  private String requireDeadLetterQueue() {
    return deadLetterUrl.orElseThrow(
        () ->
            new IllegalStateException(
                "HELIX_BACKFILL_DLQ_URL is not set: the backfill's dead-letter queue is unknown"));
  }

  /**
   * An SQS call: an unreachable endpoint, throttling or a server error is transient (retried by the
   * caller within its budget); anything else names the queue and fails.
   */
  private <T> T call(String action, java.util.function.Supplier<T> operation) {
    try {
      return operation.get();
    } catch (SdkClientException e) {
      throw new TransientFailureException(
          "cannot " + action + " (" + describe() + "): " + e.getMessage(), e);
    } catch (AwsServiceException e) {
      if (e.isThrottlingException() || e.statusCode() >= 500) {
        throw new TransientFailureException("cannot " + action + ": " + e.getMessage(), e);
      }
      // a missing queue, a refused permission: the environment, not a day
      throw new EnvironmentException(
          "cannot " + action + " (" + describe() + "): " + e.awsErrorDetails().errorMessage(), e);
    } catch (SdkException e) {
      throw new EnvironmentException("cannot " + action + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> attribute(Map<String, MessageAttributeValue> a, String name) {
    return Optional.ofNullable(a.get(name)).map(MessageAttributeValue::stringValue);
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static String truncate(String reason) {
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
  }

  private static long parse(String count) {
    return count == null ? 0 : Long.parseLong(count);
  }
}
