package com.helix.aggregation.functions.slack;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CloudWatch alarm state change as CloudWatch publishes it to SNS: the notification's message is
 * a JSON object with AlarmName, AlarmDescription, NewStateValue, OldStateValue, NewStateReason,
 * StateChangeTime, Region (a display name such as "US East (N. Virginia)"), AlarmArn, Trigger, and
 * more. Absent fields are empty strings.
 */
public record CloudWatchAlarm(
    String name,
    String description,
    String newState,
    String oldState,
    String reason,
    String stateChangeTime,
    String regionName,
    String alarmArn) {

  private static final Pattern REGION_CODE = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

  /** CloudWatch writes e.g. {@code 2015-06-03T17:43:27.123+0000}: no colon in the offset. */
  private static final DateTimeFormatter STATE_CHANGE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]XX");

  /**
   * The alarm in an SNS message, or empty when the message is not one: not JSON, not a JSON object,
   * or an object without AlarmName.
   */
  public static Optional<CloudWatchAlarm> parse(String message) {
    if (message == null || !message.strip().startsWith("{")) {
      return Optional.empty();
    }
    Map<String, Object> json;
    try {
      json = JSON.std.mapFrom(message);
    } catch (IOException | RuntimeException notJson) {
      return Optional.empty();
    }
    String name = text(json, "AlarmName");
    if (name.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        new CloudWatchAlarm(
            name,
            text(json, "AlarmDescription"),
            text(json, "NewStateValue"),
            text(json, "OldStateValue"),
            text(json, "NewStateReason"),
            text(json, "StateChangeTime"),
            text(json, "Region"),
            text(json, "AlarmArn")));
  }

  /**
   * The alarm's region code (e.g. {@code us-east-1}) from its ARN, {@code
   * arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>}; the message's Region field is a
   * display name, not a code.
   */
  public Optional<String> region() {
    String[] parts = alarmArn.split(":", 7);
    return parts.length == 7
            && parts[0].equals("arn")
            && parts[2].equals("cloudwatch")
            && REGION_CODE.matcher(parts[3]).matches()
        ? Optional.of(parts[3])
        : Optional.empty();
  }

  /** The region to show a person: the code from the ARN, else the message's display name. */
  public String displayRegion() {
    return region().orElse(regionName.isBlank() ? "unknown" : regionName);
  }

  /**
   * The alarm's page in the CloudWatch console of its region; empty when the ARN names no region of
   * the standard partition (China and GovCloud consoles live on other domains).
   */
  public Optional<URI> consoleUrl() {
    if (!alarmArn.startsWith("arn:aws:")) {
      return Optional.empty();
    }
    return region()
        .map(
            r ->
                URI.create(
                    "https://"
                        + r
                        + ".console.aws.amazon.com/cloudwatch/home?region="
                        + r
                        + "#alarmsV2:alarm/"
                        // The console reads %20, not +, as a space.
                        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")));
  }

  /** When the state changed, if StateChangeTime is in CloudWatch's format. */
  public Optional<Instant> changedAt() {
    try {
      return Optional.of(OffsetDateTime.parse(stateChangeTime, STATE_CHANGE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String text(Map<String, Object> json, String field) {
    Object value = json.get(field);
    return value == null ? "" : value.toString();
  }
}
