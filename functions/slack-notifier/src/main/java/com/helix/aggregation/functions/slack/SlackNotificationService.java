package com.helix.aggregation.functions.slack;

import java.time.Instant;
import java.util.Optional;

/**
 * Posts one SNS notification to Slack (SPEC §8): a CloudWatch alarm as an alarm message (state,
 * reason, time, region, console and runbook links), anything else as plain text, so nothing sent to
 * the alarm topic is lost or crashes the notifier. A failure is logged and rethrown, and the cached
 * webhook URL dropped, so a retried invocation reads a rotated secret.
 */
public final class SlackNotificationService {
  private final WebhookUrlSource webhookUrl;
  private final SlackDelivery delivery;
  private final RunbookLinks runbook;
  private final NotificationLog log;

  SlackNotificationService(
      WebhookUrlSource webhookUrl,
      SlackDelivery delivery,
      RunbookLinks runbook,
      NotificationLog log) {
    this.webhookUrl = webhookUrl;
    this.delivery = delivery;
    this.runbook = runbook;
    this.log = log;
  }

  /** Posts the notification before the deadline, or throws. */
  public void post(SnsNotification notification, Instant deadline, String requestId) {
    Optional<CloudWatchAlarm> alarm = CloudWatchAlarm.parse(notification.message());
    SlackMessage message =
        alarm
            .map(a -> SlackMessage.forAlarm(a, runbook.forDescription(a.description())))
            .orElseGet(() -> SlackMessage.forText(notification));
    try {
      SlackDelivery.Delivered delivered =
          delivery.deliver(webhookUrl.webhookUrl(), message.toJson(), deadline);
      log.posted(notification, alarm, delivered, requestId);
    } catch (SlackDeliveryException | WebhookUrlException e) {
      webhookUrl.forget();
      log.failed(notification, alarm, e, requestId);
      throw e;
    }
  }
}
