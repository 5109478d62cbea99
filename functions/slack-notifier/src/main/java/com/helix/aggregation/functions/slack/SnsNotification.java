package com.helix.aggregation.functions.slack;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;

/**
 * One SNS notification as the notifier sees it. Subject is optional in SNS (absent: empty here).
 */
public record SnsNotification(String messageId, String topicArn, String subject, String message) {

  public static SnsNotification from(SNSEvent.SNSRecord record) {
    SNSEvent.SNS sns = record.getSNS();
    return new SnsNotification(
        orEmpty(sns.getMessageId()),
        orEmpty(sns.getTopicArn()),
        orEmpty(sns.getSubject()),
        orEmpty(sns.getMessage()));
  }

  /** The topic's name: the last part of its ARN. */
  public String topicName() {
    return topicArn.substring(topicArn.lastIndexOf(':') + 1);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
