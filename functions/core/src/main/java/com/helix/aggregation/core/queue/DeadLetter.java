package com.helix.aggregation.core.queue;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A message on the dead-letter queue, with why it is there: a day that failed for good, or a poison
 * message that no worker can read.
 *
 * @param body the original body
 * @param day the day, when the body named a valid one
 * @param requestId the backfill request, when known
 * @param reason one line: the last error of the day, or why the body is poison
 * @param errorClass the last error's class, {@code MaxReceiveCount} for a day the queue's redrive
 *     policy moved, or {@code PoisonMessage}
 * @param attempts the day's failed attempts, counted in the database (0 for poison)
 * @param sourceMessageId the id the message had on the backfill queue
 * @param receipt the queue's handle of this delivery, when it was received from the DLQ
 */
public record DeadLetter(
    String body,
    Optional<LocalDate> day,
    Optional<String> requestId,
    String reason,
    String errorClass,
    int attempts,
    String sourceMessageId,
    Optional<String> receipt) {

  public static final String POISON = "PoisonMessage";

  public DeadLetter {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(errorClass, "errorClass");
    Objects.requireNonNull(sourceMessageId, "sourceMessageId");
  }

  public boolean isPoison() {
    return POISON.equals(errorClass);
  }
}
