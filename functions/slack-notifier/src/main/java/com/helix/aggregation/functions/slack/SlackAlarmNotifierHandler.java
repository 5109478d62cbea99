package com.helix.aggregation.functions.slack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.crac.Core;
import org.crac.Resource;

/**
 * The Slack notifier (SPEC §8): subscribed to the alarm topic, posts each SNS notification to
 * Slack. An adapter: reads the records, hands each to {@link SlackNotificationService}, and fails
 * the invocation when one could not be posted, so Lambda retries it and the error alarm sees it.
 */
public final class SlackAlarmNotifierHandler implements RequestHandler<SNSEvent, Void> {
  /** Time kept back from the invocation's budget to log and fail before Lambda ends it. */
  static final Duration MARGIN = Duration.ofMillis(500);

  private final CachedWebhookUrl webhookUrl; // also CRaC's only strong reference to it
  private final SlackNotificationService service;
  private final Clock clock;

  /** Once per execution environment: configuration from the environment, real clients. */
  public SlackAlarmNotifierHandler() {
    this(SlackNotifierConfig.fromEnvironment());
  }

  /** Real clients for this configuration; no network call until the first notification. */
  public SlackAlarmNotifierHandler(SlackNotifierConfig config) {
    this(
        new SecretsManagerWebhookUrl(
            SecretsManagerWebhookUrl.standardClient(), config.webhookSecretArn()),
        new JdkHttpSlackPoster(Duration.ofSeconds(3)),
        config.runbook(),
        Clock.systemUTC(),
        Sleeper.SYSTEM,
        System.out);
  }

  /** The collaborators, for tests. The webhook URL is read through a cache either way. */
  public SlackAlarmNotifierHandler(
      WebhookUrlSource webhookUrl,
      SlackPoster slack,
      RunbookLinks runbook,
      Clock clock,
      Sleeper sleeper,
      PrintStream log) {
    this.webhookUrl = new CachedWebhookUrl(webhookUrl);
    Core.getGlobalContext().register(this.webhookUrl);
    this.service =
        new SlackNotificationService(
            this.webhookUrl,
            new SlackDelivery(slack, clock, sleeper),
            runbook,
            new NotificationLog(log, clock));
    this.clock = clock;
  }

  @Override
  public Void handleRequest(SNSEvent event, Context context) {
    List<SNSEvent.SNSRecord> records = event == null ? null : event.getRecords();
    if (records == null || records.isEmpty()) {
      throw new IllegalArgumentException(
          "the event has no SNS records: subscribe the notifier to the alarm topic"
              + " (it does not take a CloudWatch alarm's direct Lambda action)");
    }
    Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
    RuntimeException failure = null;
    for (SNSEvent.SNSRecord record : records) {
      try {
        service.post(SnsNotification.from(record), deadline, context.getAwsRequestId());
      } catch (SlackDeliveryException | WebhookUrlException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return null;
  }

  /** The hook SnapStart calls around checkpoint and restore (tests drive it directly). */
  Resource restoreHook() {
    return webhookUrl;
  }
}
