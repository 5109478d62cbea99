package com.helix.aggregation.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, faithful model of how CloudWatch evaluates one metric alarm, read from the template's
 * own settings: the metric's period and statistic, an optional {@code FILL(m, value)} expression,
 * evaluation periods (N), datapoints to alarm (M), the comparison and threshold, and the
 * missing-data treatment. It models what these alarms use, not all of CloudWatch:
 *
 * <ul>
 *   <li>Periods are aligned to multiples of the period since the epoch (an hourly period starts on
 *       the hour), and an evaluation at time t looks at the N most recent periods that have ended
 *       by t (a period still in progress is not evaluated).
 *   <li>{@code FILL(m, v)} replaces each period without data by v, provided the metric has at least
 *       one datapoint in the queried range; a metric without any datapoint yields no series at all,
 *       and every period is then missing.
 *   <li>A missing period counts as breaching ({@code breaching}), as not breaching ({@code
 *       notBreaching}), or is left out ({@code missing}, {@code ignore}): then the alarm is
 *       INSUFFICIENT_DATA when all N are missing (CloudWatch would also look further back, which
 *       only matters for alarms that use it).
 *   <li>ALARM when at least M of the N periods breach; OK otherwise.
 * </ul>
 */
final class AlarmEvaluation {
  enum State {
    OK,
    ALARM,
    INSUFFICIENT_DATA
  }

  private static final Pattern FILL = Pattern.compile("FILL\\((\\w+),\\s*([0-9.]+)\\)");

  private final Duration period;
  private final String statistic;
  private final Optional<Double> fill;
  private final int evaluationPeriods;
  private final int datapointsToAlarm;
  private final String comparison;
  private final double threshold;
  private final String treatMissingData;

  AlarmEvaluation(
      Duration period,
      String statistic,
      Optional<Double> fill,
      int evaluationPeriods,
      int datapointsToAlarm,
      String comparison,
      double threshold,
      String treatMissingData) {
    this.period = period;
    this.statistic = statistic;
    this.fill = fill;
    this.evaluationPeriods = evaluationPeriods;
    this.datapointsToAlarm = datapointsToAlarm;
    this.comparison = comparison;
    this.threshold = threshold;
    this.treatMissingData = treatMissingData;
  }

  /** The alarm as the template declares it: a single metric, or one metric under an expression. */
  static AlarmEvaluation of(JsonNode alarm) {
    JsonNode properties = alarm.get("Properties");
    Duration period;
    String statistic;
    Optional<Double> fill = Optional.empty();
    if (properties.has("Metrics")) {
      JsonNode metric = null;
      JsonNode expression = null;
      for (JsonNode query : properties.get("Metrics")) {
        if (query.has("MetricStat")) {
          metric = query;
        } else if (query.has("Expression")) {
          expression = query;
        }
      }
      if (metric == null || expression == null) {
        throw new IllegalArgumentException("the model takes one metric under one expression");
      }
      Matcher m = FILL.matcher(expression.get("Expression").asText());
      if (!m.matches() || !m.group(1).equals(metric.get("Id").asText())) {
        throw new IllegalArgumentException(
            "the model knows FILL(<metric id>, <value>) only: " + expression.get("Expression"));
      }
      if (!expression.path("ReturnData").asBoolean(true)) {
        throw new IllegalArgumentException("the expression must be the alarm's value");
      }
      fill = Optional.of(Double.parseDouble(m.group(2)));
      period = Duration.ofSeconds(metric.at("/MetricStat/Period").asLong());
      statistic = metric.at("/MetricStat/Stat").asText();
    } else {
      period = Duration.ofSeconds(properties.get("Period").asLong());
      statistic = properties.get("Statistic").asText();
    }
    int n = properties.get("EvaluationPeriods").asInt();
    return new AlarmEvaluation(
        period,
        statistic,
        fill,
        n,
        properties.path("DatapointsToAlarm").asInt(n),
        properties.get("ComparisonOperator").asText(),
        properties.get("Threshold").asDouble(),
        properties.path("TreatMissingData").asText("missing"));
  }

  /** The state at {@code now}, given every value the metric ever received. */
  State evaluate(List<Datapoint> datapoints, Instant now) {
    long p = period.toSeconds();
    long lastEnd = Math.floorDiv(now.getEpochSecond(), p) * p;
    long firstStart = lastEnd - evaluationPeriods * p;
    boolean seriesExists =
        datapoints.stream()
            .anyMatch(
                d -> d.at().getEpochSecond() >= firstStart && d.at().getEpochSecond() < lastEnd);
    int breaching = 0;
    int present = 0;
    for (long start = firstStart; start < lastEnd; start += p) {
      OptionalDouble value = aggregate(datapoints, start, start + p);
      if (value.isEmpty() && fill.isPresent() && seriesExists) {
        value = OptionalDouble.of(fill.get());
      }
      if (value.isPresent()) {
        present++;
        if (breaches(value.getAsDouble())) {
          breaching++;
        }
      } else if (treatMissingData.equals("breaching")) {
        breaching++;
      } else if (treatMissingData.equals("notBreaching")) {
        present++;
      }
    }
    if (breaching >= datapointsToAlarm) {
      return State.ALARM;
    }
    return present == 0 && breaching == 0 ? State.INSUFFICIENT_DATA : State.OK;
  }

  /** This model with another missing-data treatment (to show what plain "missing" would do). */
  AlarmEvaluation treatingMissingDataAs(String treatment, boolean withFill) {
    return new AlarmEvaluation(
        period,
        statistic,
        withFill ? fill : Optional.empty(),
        evaluationPeriods,
        datapointsToAlarm,
        comparison,
        threshold,
        treatment);
  }

  private OptionalDouble aggregate(List<Datapoint> datapoints, long start, long end) {
    List<Double> values = new ArrayList<>();
    for (Datapoint d : datapoints) {
      long t = d.at().getEpochSecond();
      if (t >= start && t < end) {
        values.add(d.value());
      }
    }
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    return switch (statistic) {
      case "Maximum" -> values.stream().mapToDouble(Double::doubleValue).max();
      case "Minimum" -> values.stream().mapToDouble(Double::doubleValue).min();
      case "Sum" -> OptionalDouble.of(values.stream().mapToDouble(Double::doubleValue).sum());
      case "SampleCount" -> OptionalDouble.of(values.size());
      case "Average" -> values.stream().mapToDouble(Double::doubleValue).average();
      default -> throw new IllegalArgumentException("statistic " + statistic);
    };
  }

  private boolean breaches(double value) {
    return switch (comparison) {
      case "GreaterThanThreshold" -> value > threshold;
      case "GreaterThanOrEqualToThreshold" -> value >= threshold;
      case "LessThanThreshold" -> value < threshold;
      case "LessThanOrEqualToThreshold" -> value <= threshold;
      default -> throw new IllegalArgumentException("comparison " + comparison);
    };
  }

  /** One value the metric received (an EMF line's value at its timestamp). */
  record Datapoint(Instant at, double value) {}
}
