package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads a Slack webhook payload back and checks it is one Slack accepts. */
final class SlackPayloads {
  private static final Pattern LINK = Pattern.compile("<https?://[^|<>\\s]+\\|[^<>]+>");
  private static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!amp;|lt;|gt;)");

  private SlackPayloads() {}

  static Map<String, Object> parse(String json) {
    try {
      return JSON.std.mapFrom(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A valid incoming-webhook payload: a text, blocks of known types within Slack's limits, every
   * mrkdwn text escaped (no {@code <} or {@code >} but in links, no bare {@code &}).
   */
  static void assertValid(Map<String, Object> payload) {
    assertThat(payload).containsKeys("text", "blocks");
    assertEscaped((String) payload.get("text"));
    for (Map<String, Object> block : blocks(payload)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> text = (Map<String, Object>) block.get("text");
      String content = (String) text.get("text");
      switch ((String) block.get("type")) {
        case "header" -> {
          assertThat(text.get("type")).isEqualTo("plain_text");
          assertThat(content).hasSizeBetween(1, 150);
        }
        case "section" -> {
          assertThat(text.get("type")).isEqualTo("mrkdwn");
          assertThat(content).hasSizeBetween(1, 3000);
          assertEscaped(content);
        }
        default -> throw new AssertionError("unexpected block " + block);
      }
    }
  }

  static void assertEscaped(String mrkdwn) {
    String outsideLinks = LINK.matcher(mrkdwn).replaceAll("");
    assertThat(outsideLinks).as("mrkdwn outside links").doesNotContain("<", ">");
    assertThat(BARE_AMPERSAND.matcher(mrkdwn).find()).as("a bare & in " + mrkdwn).isFalse();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> blocks(Map<String, Object> payload) {
    return (List<Map<String, Object>>) payload.get("blocks");
  }

  /** The texts of all blocks, in order. */
  @SuppressWarnings("unchecked")
  static List<String> texts(Map<String, Object> payload) {
    List<String> texts = new ArrayList<>();
    for (Map<String, Object> block : blocks(payload)) {
      texts.add((String) ((Map<String, Object>) block.get("text")).get("text"));
    }
    return texts;
  }

  /** Everything a person reads, joined. */
  static String allText(Map<String, Object> payload) {
    return payload.get("text") + "\n" + String.join("\n", texts(payload));
  }
}
