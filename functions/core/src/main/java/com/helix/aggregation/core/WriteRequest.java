package com.helix.aggregation.core;

/**
 * What {@link AggregateStore#aggregate} needs besides the day.
 *
 * @param leaseToken the writer's lease token, stored with the aggregate for audit
 * @param force recompute from the raw data even when the source hash matches
 * @param complete whether the day had ended before the transaction began (else it is partial)
 */
public record WriteRequest(long leaseToken, boolean force, boolean complete) {}
