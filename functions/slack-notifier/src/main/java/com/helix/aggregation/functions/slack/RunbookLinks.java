package com.helix.aggregation.functions.slack;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links an alarm to its section of the runbook. The convention, kept by the template: an alarm's
 * description ends with {@code Runbook: #<anchor>}, the anchor of its section in docs/runbook.md;
 * the link is the runbook's base URL plus that anchor, or the base alone when there is none.
 *
 * @param base the URL of docs/runbook.md, without a fragment
 */
public record RunbookLinks(URI base) {
  private static final Pattern SUFFIX =
      Pattern.compile("(?is)^(.*?)\\s*Runbook:\\s*#([\\p{L}\\p{N}._-]+)\\s*$");

  /** The runbook link for an alarm with this description (null or blank: none). */
  public URI forDescription(String description) {
    return anchor(description)
        .map(a -> URI.create(base + "#" + URLEncoder.encode(a, StandardCharsets.UTF_8)))
        .orElse(base);
  }

  /** The anchor named at the end of the description, if any. */
  public static Optional<String> anchor(String description) {
    Matcher m = description == null ? null : SUFFIX.matcher(description);
    return m != null && m.matches() ? Optional.of(m.group(2)) : Optional.empty();
  }

  /** The description without its runbook suffix: what is left to show a person. */
  public static String withoutAnchor(String description) {
    if (description == null) {
      return "";
    }
    Matcher m = SUFFIX.matcher(description);
    return (m.matches() ? m.group(1) : description).strip();
  }
}
