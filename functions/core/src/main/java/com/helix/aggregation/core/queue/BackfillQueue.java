package com.helix.aggregation.core.queue;

import java.util.List;

/**
 * Port: the backfill queue and its dead-letter queue (SPEC §7). The queue is FIFO and every message
 * of a backfill carries one message group id, so the queue itself keeps one day in flight; a
 * failing day never blocks it, because the worker finishes the day's attempts and then moves it to
 * the dead-letter queue itself.
 */
public interface BackfillQueue {

  /**
   * Sends one message per day, in order, in batches; a send retried after a lost answer never
   * duplicates a message (the deduplication id is the day and the request).
   */
  void enqueue(List<BackfillMessage> days);

  /** Puts a message on the dead-letter queue with why it is there. */
  void deadLetter(DeadLetter letter);

  /**
   * The dead-letter queue's messages, received and hidden from other readers for {@code
   * holdSeconds}; each is then {@link #remove}d or {@link #putBack}.
   */
  List<DeadLetter> receiveDeadLetters(int holdSeconds);

  /** Deletes a received dead letter (after it was sent back to the backfill queue). */
  void remove(DeadLetter letter);

  /** Makes a received dead letter visible again, untouched. */
  void putBack(DeadLetter letter);

  /**
   * How many messages wait on the queue and on its dead-letter queue, and how many are in flight.
   */
  QueueDepth depth();

  /** Where the queues are, for messages. */
  String describe();
}
