package com.helix.aggregation.core.queue;

/** The approximate counts of the backfill queue and its dead-letter queue. */
public record QueueDepth(long waiting, long inFlight, long deadLetters) {}
