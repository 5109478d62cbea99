/**
 * The queue-driven backfill (SPEC §7): one message per day on a FIFO queue, consumed one day at a
 * time by the backfill worker, with its requests followed and cancelled through the database and
 * its failures kept in a dead-letter queue. Like the rest of the core it knows no cloud: the queue,
 * the request log and the message format are ports, implemented by the {@code sqs} and {@code
 * postgres} adapters.
 */
package com.helix.aggregation.core.queue;
