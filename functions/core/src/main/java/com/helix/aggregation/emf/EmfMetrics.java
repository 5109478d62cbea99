package com.helix.aggregation.emf;

import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.core.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Metrics as CloudWatch Embedded Metric Format log lines (SPEC §8), through AWS's EMF library: one
 * line per attempt on standard output, which CloudWatch turns into metrics; no API call on the hot
 * path. Every count is emitted on every attempt (zero when it did not happen), so an alarm sees
 * zeros rather than missing data on a healthy day.
 */
public final class EmfMetrics implements Metrics {
  /** Epoch seconds when the scheduled target day (yesterday) was last seen verified complete. */
  public static final String LAST_SUCCESS = "helix_aggregation_last_success_timestamp";

  public static final String JOBS_STARTED = "JobsStarted";
  public static final String JOBS_COMPLETED = "JobsCompleted";
  public static final String JOBS_FAILED = "JobsFailed";
  public static final String JOBS_SKIPPED = "JobsSkipped";
  public static final String DAYS_AGGREGATED = "DaysAggregated";
  public static final String DAYS_UNVERIFIED = "DaysUnverified";
  public static final String DAYS_PERMANENTLY_FAILED = "DaysPermanentlyFailed";
  public static final String CLOSED_DAYS_CHANGED = "ClosedDaysChanged";
  public static final String JOB_DURATION = "JobDuration";

  /**
   * Hours from the end of the newest verified complete day until now, after every scheduled run
   * (daily and hourly): about 0 to 24 when all is well; its absence means the runs stopped.
   */
  public static final String NEWEST_VERIFIED_AGE = "NewestVerifiedDayAgeHours";

  /** The one dimension of every metric: the job. */
  public static final String JOB_DIMENSION = "Job";

  private final String namespace;
  private final Environment environment;

  /** Writes to standard output, as a Lambda function does. */
  public EmfMetrics(String namespace) {
    this(namespace, new LambdaEnvironment());
  }

  public EmfMetrics(String namespace, Environment environment) {
    this.namespace = namespace;
    this.environment = environment;
  }

  @Override
  public void attemptFinished(AttemptReport report) {
    Outcome outcome = report.outcome();
    MetricsLogger metrics = new MetricsLogger(environment);
    metrics.setNamespace(namespace);
    metrics.setDimensions(DimensionSet.of(JOB_DIMENSION, report.start().job()));
    metrics.putProperty("day", report.start().day().toString());
    metrics.putProperty("trigger", report.start().trigger().value());
    metrics.putProperty("outcome", outcome.value());
    metrics.putProperty("attempt", report.start().attempt());
    if (report.start().requestId() != null) {
      metrics.putProperty("requestId", report.start().requestId());
    }
    metrics.putMetric(JOBS_STARTED, outcome == Outcome.SKIPPED_LOCKED ? 0 : 1, Unit.COUNT);
    metrics.putMetric(JOBS_COMPLETED, outcome.isSuccess() ? 1 : 0, Unit.COUNT);
    metrics.putMetric(JOBS_FAILED, outcome.isFailure() ? 1 : 0, Unit.COUNT);
    metrics.putMetric(JOBS_SKIPPED, outcome == Outcome.SKIPPED_LOCKED ? 1 : 0, Unit.COUNT);
    metrics.putMetric(DAYS_AGGREGATED, outcome == Outcome.AGGREGATED ? 1 : 0, Unit.COUNT);
    // a mismatch over raw data that did not move: figures that are wrong, not merely still moving
    boolean unverified = report.verification().map(VerificationReport::isFailure).orElse(false);
    metrics.putMetric(DAYS_UNVERIFIED, unverified ? 1 : 0, Unit.COUNT);
    metrics.putMetric(
        DAYS_PERMANENTLY_FAILED, outcome == Outcome.PERMANENTLY_FAILED ? 1 : 0, Unit.COUNT);
    metrics.putMetric(CLOSED_DAYS_CHANGED, report.closedDayChanged() ? 1 : 0, Unit.COUNT);
    metrics.putMetric(JOB_DURATION, report.duration().toMillis(), Unit.MILLISECONDS);
    if (yesterdayVerified(report)) {
      metrics.putMetric(
          LAST_SUCCESS,
          report.start().startedAt().plus(report.duration()).getEpochSecond(),
          Unit.SECONDS);
    }
    metrics.flush();
  }

  @Override
  public void freshness(Optional<LocalDate> newestVerified, Instant now) {
    if (newestVerified.isEmpty()) {
      return; // nothing verified yet: the missing metric is the alarm
    }
    MetricsLogger metrics = new MetricsLogger(environment);
    metrics.setNamespace(namespace);
    metrics.setDimensions(DimensionSet.of(JOB_DIMENSION, AggregateDayService.JOB));
    metrics.putProperty("newestVerifiedDay", newestVerified.get().toString());
    double hours = Duration.between(UtcDay.end(newestVerified.get()), now).toSeconds() / 3600.0;
    metrics.putMetric(NEWEST_VERIFIED_AGE, Math.max(0, hours), Unit.NONE);
    metrics.flush();
  }

  /** The attempt left the scheduled target day (the UTC day before it ran) verified complete. */
  private static boolean yesterdayVerified(AttemptReport report) {
    LocalDate yesterday =
        LocalDate.ofInstant(report.start().startedAt(), ZoneOffset.UTC).minusDays(1);
    boolean verified =
        report.outcome() == Outcome.UNCHANGED
            || report.verification().map(v -> v.passed()).orElse(false);
    return report.start().day().equals(yesterday)
        && report.outcome().isSuccess()
        && verified
        && report.aggregate().map(DailyAggregate::complete).orElse(false);
  }
}
