package com.helix.aggregation.functions.slack;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The notifier's configuration (SPEC §8, §10), read once per execution environment from the
 * environment and validated; a missing or bad value is a {@link SlackNotifierConfigException} whose
 * one-line message names the variable.
 *
 * @param webhookSecretArn the Secrets Manager secret whose SecretString is the Slack webhook URL
 * @param runbookUrl the base URL of docs/runbook.md; each alarm links to an anchor in it
 */
public record SlackNotifierConfig(String webhookSecretArn, URI runbookUrl) {

  public static final String WEBHOOK_SECRET_ARN = "HELIX_SLACK_WEBHOOK_SECRET_ARN";
  public static final String RUNBOOK_URL = "HELIX_RUNBOOK_URL";

  /** Every variable the notifier reads, for the template-matches-code check. */
  public static final List<String> VARIABLES = List.of(WEBHOOK_SECRET_ARN, RUNBOOK_URL);

  private static final Pattern SECRET_ARN =
      Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+");

  public SlackNotifierConfig {
    requireSecretArn(webhookSecretArn);
    requireRunbookUrl(runbookUrl);
  }

  public static SlackNotifierConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static SlackNotifierConfig fromEnvironment(Map<String, String> env) {
    return new SlackNotifierConfig(
        required(env, WEBHOOK_SECRET_ARN), parseRunbookUrl(required(env, RUNBOOK_URL)));
  }

  /** The links to the runbook's sections, one per alarm. */
  public RunbookLinks runbook() {
    return new RunbookLinks(runbookUrl);
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new SlackNotifierConfigException(name + " is not set");
    }
    return value.trim();
  }

  private static void requireSecretArn(String arn) {
    if (arn == null || !SECRET_ARN.matcher(arn).matches()) {
      // Never echo a URL: whoever sets the webhook URL itself here has just leaked a secret once.
      String got =
          arn != null && arn.regionMatches(true, 0, "http", 0, 4)
              ? "a URL (put the webhook URL into the secret, and the secret's ARN here)"
              : "'" + arn + "'";
      throw new SlackNotifierConfigException(
          WEBHOOK_SECRET_ARN
              + " must be a Secrets Manager secret ARN"
              + " (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got "
              + got);
    }
  }

  private static URI parseRunbookUrl(String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new SlackNotifierConfigException(
          RUNBOOK_URL + " is not a URL: '" + value + "' (" + e.getReason() + ")");
    }
  }

  private static void requireRunbookUrl(URI url) {
    if (url == null
        || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
        || url.getHost() == null
        || url.getRawFragment() != null) {
      throw new SlackNotifierConfigException(
          RUNBOOK_URL
              + " must be the http(s) URL of docs/runbook.md without a #fragment"
              + " (each alarm adds its own anchor), got '"
              + url
              + "'");
    }
  }
}
