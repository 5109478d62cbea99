package com.helix.aggregation.functions.slack;

/**
 * Text for Slack's mrkdwn: {@code &}, {@code <} and {@code >} escaped (Slack reads {@code <...>} as
 * links and mentions, so unescaped text could page a channel), and cut to a length limit.
 */
final class Mrkdwn {
  private static final String CUT = "… (truncated)";

  private Mrkdwn() {}

  static String escape(String raw) {
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A link: {@code <url|label>}, both escaped. */
  static String link(String url, String label) {
    return "<" + escape(url) + "|" + escape(label) + ">";
  }

  /** The escaped text, cut to at most max characters; no entity or character is split. */
  static String fit(String raw, int max) {
    String escaped = escape(raw);
    if (escaped.length() <= max) {
      return escaped;
    }
    int budget = max - CUT.length();
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < raw.length(); ) {
      int codePoint = raw.codePointAt(i);
      String piece = escape(new String(Character.toChars(codePoint)));
      if (kept.length() + piece.length() > budget) {
        break;
      }
      kept.append(piece);
      i += Character.charCount(codePoint);
    }
    return kept.toString().stripTrailing() + CUT;
  }

  /** Plain text cut to at most max characters (for plain_text fields, which are not escaped). */
  static String plain(String raw, int max) {
    return raw.length() <= max ? raw : cut(raw, max - 1) + "…";
  }

  /** The first n characters, without splitting a surrogate pair. */
  private static String cut(String raw, int n) {
    int end = Math.min(n, raw.length());
    if (end > 0 && end < raw.length() && Character.isHighSurrogate(raw.charAt(end - 1))) {
      end--;
    }
    return raw.substring(0, end).stripTrailing();
  }
}
