package com.helix.aggregation.core.queue;

import java.util.Objects;
import java.util.Optional;

/**
 * A message as the worker received it: decoded into a {@link BackfillMessage}, or poison, with the
 * reason it cannot be (not JSON, unknown fields, no day, a bad, future or out-of-range day).
 *
 * @param messageId the queue's id of the message (what a partial batch response names)
 * @param body the body as received, kept for the dead-letter queue
 */
public record QueuedMessage(
    String messageId, String body, Optional<BackfillMessage> message, Optional<String> poison) {

  public QueuedMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    if (message.isPresent() == poison.isPresent()) {
      throw new IllegalArgumentException("a message is either readable or poison");
    }
  }

  public static QueuedMessage readable(String messageId, String body, BackfillMessage message) {
    return new QueuedMessage(messageId, body, Optional.of(message), Optional.empty());
  }

  public static QueuedMessage poison(String messageId, String body, String reason) {
    return new QueuedMessage(messageId, body, Optional.empty(), Optional.of(reason));
  }
}
