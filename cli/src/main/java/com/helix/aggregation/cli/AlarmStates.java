package com.helix.aggregation.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * The deployed stack's alarms and their states, for {@code helix status} on AWS (SPEC §10): one
 * CloudWatch {@code DescribeAlarms} by the alarms' name prefix (the stack's {@code AlarmNamePrefix}
 * output, given as {@code HELIX_ALARM_PREFIX} or {@code --alarm-prefix}). Region, credentials and
 * endpoint come from the SDK's standard settings. A CloudWatch that cannot be read is one line of
 * the report, never a failed command: the database's status still stands.
 */
final class AlarmStates {
  /** The alarms' name prefix; unset means status reads no alarms. */
  static final String PREFIX_VARIABLE = "HELIX_ALARM_PREFIX";

  private static final int REASON_LENGTH = 120;

  /** One alarm as an operator needs it first. */
  record Alarm(String name, String state, Instant since, String reason) {}

  private AlarmStates() {}

  /** Reads the alarms whose names start with {@code prefix}, all pages. */
  static List<Alarm> read(CloudWatchClient cloudWatch, String prefix) {
    List<Alarm> alarms = new ArrayList<>();
    for (MetricAlarm alarm :
        cloudWatch.describeAlarmsPaginator(r -> r.alarmNamePrefix(prefix)).metricAlarms()) {
      alarms.add(
          new Alarm(
              alarm.alarmName(),
              alarm.stateValueAsString(),
              alarm.stateUpdatedTimestamp(),
              alarm.stateReason()));
    }
    return alarms;
  }

  /**
   * The client of the CLI: bounded calls, so an unreachable CloudWatch costs seconds, not the SDK's
   * default minutes. Building it makes no network call.
   */
  static CloudWatchClient standardClient() {
    return CloudWatchClient.builder()
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(5)))
        .overrideConfiguration(
            c ->
                c.apiCallAttemptTimeout(Duration.ofSeconds(5))
                    .apiCallTimeout(Duration.ofSeconds(15)))
        .build();
  }

  /**
   * Prints the alarms (those in ALARM first, then INSUFFICIENT_DATA, then OK), or one line saying
   * why they cannot be read.
   */
  static void render(String prefix, Supplier<List<Alarm>> read, PrintStream out) {
    List<Alarm> alarms;
    try {
      alarms = read.get();
    } catch (SdkException | IllegalStateException e) {
      out.println(
          "Alarms (prefix "
              + prefix
              + "): cannot be read: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + " (AWS credentials, region and network for CloudWatch DescribeAlarms)");
      return;
    }
    if (alarms.isEmpty()) {
      out.println(
          "Alarms (prefix "
              + prefix
              + "): none found; "
              + PREFIX_VARIABLE
              + " must be the stack's AlarmNamePrefix output");
      return;
    }
    Map<String, Long> counts =
        alarms.stream().collect(Collectors.groupingBy(Alarm::state, Collectors.counting()));
    out.printf(
        "Alarms (prefix %s): %d in ALARM, %d OK, %d INSUFFICIENT_DATA%n",
        prefix,
        counts.getOrDefault("ALARM", 0L),
        counts.getOrDefault("OK", 0L),
        counts.getOrDefault("INSUFFICIENT_DATA", 0L));
    alarms.stream()
        .sorted(Comparator.comparing((Alarm a) -> rank(a.state())).thenComparing(Alarm::name))
        .forEach(
            a ->
                out.printf(
                    "  %-17s  %-44s  since %s%s%n",
                    a.state(),
                    a.name(),
                    a.since(),
                    "OK".equals(a.state()) ? "" : "  " + shorten(a.reason())));
    if (counts.getOrDefault("ALARM", 0L) > 0) {
      out.println("  (docs/runbook.md has a section for each alarm)");
    }
  }

  private static int rank(String state) {
    return switch (state) {
      case "ALARM" -> 0;
      case "INSUFFICIENT_DATA" -> 1;
      default -> 2;
    };
  }

  private static String shorten(String reason) {
    String line = reason == null ? "" : reason.lines().findFirst().orElse("");
    return line.length() > REASON_LENGTH ? line.substring(0, REASON_LENGTH) + "…" : line;
  }
}
