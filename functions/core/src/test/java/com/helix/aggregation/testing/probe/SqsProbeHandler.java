package com.helix.aggregation.testing.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * The emulator suite's probe function: answers an SQS batch with what it read from it and what it
 * sees of its execution environment. A message body of {@code fail} makes it throw.
 */
public class SqsProbeHandler implements RequestHandler<SQSEvent, Map<String, Object>> {

  @Override
  public Map<String, Object> handleRequest(SQSEvent event, Context context) {
    List<SQSMessage> messages = event.getRecords();
    if (messages.stream().anyMatch(m -> "fail".equals(m.getBody()))) {
      throw new IllegalArgumentException("a message asked to fail");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("messageIds", messages.stream().map(SQSMessage::getMessageId).toList());
    answer.put("bodies", messages.stream().map(SQSMessage::getBody).toList());
    answer.put(
        "messageGroupIds",
        messages.stream().map(m -> m.getAttributes().get("MessageGroupId")).toList());
    answer.put("functionName", context.getFunctionName());
    answer.put("memoryLimitInMB", context.getMemoryLimitInMB());
    answer.put("awsRequestId", context.getAwsRequestId());
    answer.put("timeZone", TimeZone.getDefault().getID());
    answer.put("region", System.getenv("AWS_REGION"));
    answer.put("taskRoot", System.getenv("LAMBDA_TASK_ROOT"));
    answer.put("workingDirectory", System.getProperty("user.dir"));
    answer.put("classPath", System.getProperty("java.class.path"));
    answer.put("handlerLoadedFrom", location(SqsProbeHandler.class));
    answer.put("eventsLoadedFrom", location(SQSEvent.class));
    answer.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    return answer;
  }

  private static String location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation().getPath();
  }
}
