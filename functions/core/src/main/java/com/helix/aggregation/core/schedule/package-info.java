/**
 * The scheduled runs (SPEC §5): the daily run at 00:05 UTC for the day before its scheduled time,
 * with the catch-up of the lookback window, and the hourly run that retries failed days when their
 * backoff has elapsed and restores days still missing. No cloud here: the schedule's event is read
 * by the function, the queue and the metrics are ports.
 */
package com.helix.aggregation.core.schedule;
