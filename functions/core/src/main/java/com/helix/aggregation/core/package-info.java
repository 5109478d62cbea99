/**
 * The aggregation core: the UTC day, the idempotent aggregation of one day, change detection,
 * verification, the retry policy and the ports its adapters implement ({@link
 * com.helix.aggregation.core.AggregateStore}, {@link com.helix.aggregation.core.AttemptLog}, {@link
 * com.helix.aggregation.core.LeaseProvider}, {@link com.helix.aggregation.core.Metrics}, {@link
 * com.helix.aggregation.core.JobLog}). It knows no cloud: an ArchUnit test forbids AWS and JDBC
 * types here.
 */
package com.helix.aggregation.core;
