package com.helix.aggregation.functions.slack;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON line per notification (SPEC §8): {@code slack_alarm_posted} with the alarm's name,
 * states, time and region, {@code slack_message_posted} for anything else, {@code
 * slack_post_failed} with the error. The webhook's host may appear; its URL never does.
 */
final class NotificationLog {
  private final PrintStream out;
  private final Clock clock;

  NotificationLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  void posted(
      SnsNotification notification,
      Optional<CloudWatchAlarm> alarm,
      SlackDelivery.Delivered delivered,
      String requestId) {
    Map<String, Object> line =
        common(
            "INFO",
            alarm.isPresent() ? "slack_alarm_posted" : "slack_message_posted",
            notification,
            alarm,
            requestId);
    line.put("attempts", delivered.attempts());
    line.put("status", delivered.status());
    write(line);
  }

  void failed(
      SnsNotification notification,
      Optional<CloudWatchAlarm> alarm,
      RuntimeException error,
      String requestId) {
    Map<String, Object> line = common("ERROR", "slack_post_failed", notification, alarm, requestId);
    if (error instanceof SlackDeliveryException delivery) {
      line.put("attempts", delivery.attempts());
    }
    line.put("error_class", error.getClass().getSimpleName());
    line.put("error_message", error.getMessage());
    write(line);
  }

  private Map<String, Object> common(
      String level,
      String event,
      SnsNotification notification,
      Optional<CloudWatchAlarm> alarm,
      String requestId) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", clock.instant().toString());
    line.put("level", level);
    line.put("event", event);
    line.put("request_id", requestId);
    line.put("sns_message_id", notification.messageId());
    line.put("topic_arn", notification.topicArn());
    alarm.ifPresent(
        a -> {
          line.put("alarm_name", a.name());
          line.put("alarm_arn", a.alarmArn());
          line.put("new_state", a.newState());
          line.put("old_state", a.oldState());
          line.put("state_change_time", a.stateChangeTime());
          line.put("region", a.displayRegion());
        });
    if (alarm.isEmpty()) {
      line.put("subject", notification.subject());
    }
    return line;
  }

  private void write(Map<String, Object> line) {
    try {
      out.println(JSON.std.asString(line));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a log line", e);
    }
  }
}
