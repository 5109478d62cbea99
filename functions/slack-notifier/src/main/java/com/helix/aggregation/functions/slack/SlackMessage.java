package com.helix.aggregation.functions.slack;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming-webhook message: {@code text} (what notifications and old clients show) and
 * Block Kit {@code blocks}. Every mrkdwn text is escaped and every field cut to Slack's limits
 * (header 150 characters, section 3000), so no alarm can make Slack refuse the payload.
 *
 * @param text the fallback text, mrkdwn
 * @param blocks the Block Kit blocks, as JSON-ready maps
 */
public record SlackMessage(String text, List<Map<String, Object>> blocks) {
  static final int HEADER_MAX = 150;
  static final int SECTION_MAX = 3000;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  public SlackMessage {
    blocks = List.copyOf(blocks);
  }

  /**
   * An alarm's state change: name and new state as the header; old → new state with an emoji per
   * state, reason, time, region and description; links to the CloudWatch console and the runbook.
   */
  public static SlackMessage forAlarm(CloudWatchAlarm alarm, URI runbook) {
    String title = emoji(alarm.newState()) + " " + alarm.newState() + ": " + alarm.name();
    String state =
        alarm.oldState().isBlank()
            ? emoji(alarm.newState()) + " " + alarm.newState()
            : emoji(alarm.oldState())
                + " "
                + alarm.oldState()
                + " → "
                + emoji(alarm.newState())
                + " "
                + alarm.newState();
    String time = alarm.changedAt().map(TIME::format).orElse(orUnknown(alarm.stateChangeTime()));
    StringBuilder details = new StringBuilder();
    details.append("*State:* ").append(Mrkdwn.escape(state));
    details.append("\n*Reason:* ").append(Mrkdwn.fit(orUnknown(alarm.reason()), 1500));
    details.append("\n*Time:* ").append(Mrkdwn.escape(time));
    details.append("\n*Region:* ").append(Mrkdwn.fit(alarm.displayRegion(), 100));
    String description = RunbookLinks.withoutAnchor(alarm.description());
    if (!description.isEmpty()) {
      details.append("\n*Description:* ").append(Mrkdwn.fit(description, 800));
    }
    List<String> links = new ArrayList<>();
    alarm.consoleUrl().ifPresent(url -> links.add(Mrkdwn.link(url.toString(), "CloudWatch")));
    links.add(Mrkdwn.link(runbook.toString(), "Runbook"));

    String fallback =
        Mrkdwn.fit(
            title + (alarm.oldState().isBlank() ? "" : " (was " + alarm.oldState() + ")"), 300);
    return new SlackMessage(
        fallback,
        List.of(header(title), section(details.toString()), section(String.join("  ·  ", links))));
  }

  /**
   * Anything that is not an alarm: the SNS subject (or the topic's name) and the message, cut to
   * what one section holds.
   */
  public static SlackMessage forText(SnsNotification notification) {
    String subject =
        !notification.subject().isBlank()
            ? notification.subject()
            : notification.topicName().isBlank()
                ? "SNS message"
                : "SNS message on " + notification.topicName();
    String heading = "*" + Mrkdwn.fit(subject, 200) + "*";
    String body = Mrkdwn.fit(notification.message(), SECTION_MAX - heading.length() - 1);
    return new SlackMessage(Mrkdwn.fit(subject, 300), List.of(section(heading + "\n" + body)));
  }

  /** The webhook's JSON payload. */
  public String toJson() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("text", text);
    payload.put("blocks", blocks);
    try {
      return JSON.std.asString(payload);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Slack message", e);
    }
  }

  /** Slack emoji shortcodes for CloudWatch's three alarm states. */
  static String emoji(String state) {
    return switch (state) {
      case "ALARM" -> ":red_circle:";
      case "OK" -> ":large_green_circle:";
      case "INSUFFICIENT_DATA" -> ":white_circle:";
      default -> ":grey_question:";
    };
  }

  private static Map<String, Object> header(String plainText) {
    return Map.of(
        "type",
        "header",
        "text",
        Map.of("type", "plain_text", "text", Mrkdwn.plain(plainText, HEADER_MAX), "emoji", true));
  }

  private static Map<String, Object> section(String mrkdwn) {
    return Map.of(
        "type",
        "section",
        "text",
        Map.of("type", "mrkdwn", "text", Mrkdwn.plain(mrkdwn, SECTION_MAX)));
  }

  private static String orUnknown(String value) {
    return value.isBlank() ? "unknown" : value;
  }
}
