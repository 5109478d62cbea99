package com.helix.aggregation.functions.slack;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link SlackNotifierJarIT} in a JVM whose classpath is the shaded jar and this class only:
 * builds the handler as Lambda does (no-arg constructor, configuration from the environment) and
 * hands it the SNS event in the file named by the first argument. Exit 0 when the invocation
 * succeeded.
 */
final class ShadedJarInvocation {
  private ShadedJarInvocation() {}

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws IOException {
    Map<String, Object> json = JSON.std.mapFrom(Files.readString(Path.of(args[0])));
    Map<String, Object> record = ((List<Map<String, Object>>) json.get("Records")).get(0);
    Map<String, Object> sns = (Map<String, Object>) record.get("Sns");
    SNSEvent event =
        new SNSEvent()
            .withRecords(
                List.of(
                    new SNSEvent.SNSRecord()
                        .withEventSource((String) record.get("EventSource"))
                        .withSns(
                            new SNSEvent.SNS()
                                .withMessageId((String) sns.get("MessageId"))
                                .withTopicArn((String) sns.get("TopicArn"))
                                .withSubject((String) sns.get("Subject"))
                                .withMessage((String) sns.get("Message")))));
    new SlackAlarmNotifierHandler().handleRequest(event, TestContext.standard());
  }
}
