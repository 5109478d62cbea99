package com.helix.aggregation.functions.scheduled;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.core.InvalidDayException;
import com.helix.aggregation.core.schedule.ScheduledRun;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * What the scheduled aggregator accepts (SPEC §5): the input its EventBridge Scheduler schedules
 * send, {@code {"mode":"daily"|"hourly","scheduledTime":"<aws.scheduler.scheduled-time>",
 * "attempt":"<aws.scheduler.attempt-number>","executionId":"<aws.scheduler.execution-id>"}}, and
 * the classic EventBridge scheduled event ({@code "detail-type":"Scheduled Event"}, its {@code
 * time}), which means daily, for a user who prefers an EventBridge rule. Anything else is refused
 * with one line.
 */
public final class ScheduledEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SCHEDULER_FIELDS =
      Set.of("mode", "scheduledTime", "attempt", "executionId", "scheduleArn");

  private ScheduledEvents() {}

  /**
   * @throws InvalidDayException naming what is wrong; nothing is written
   */
  public static ScheduledRun read(byte[] event) {
    JsonNode json;
    try {
      json = JSON.readTree(event);
    } catch (java.io.IOException e) {
      throw new InvalidDayException(
          "not a schedule's event: not JSON ("
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
              + ")");
    }
    if (json == null || !json.isObject()) {
      throw new InvalidDayException("not a schedule's event: not a JSON object");
    }
    if ("Scheduled Event".equals(json.path("detail-type").asText())) {
      return new ScheduledRun(ScheduledRun.Mode.DAILY, time(json, "time"), 0);
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SCHEDULER_FIELDS.contains(name)) {
        throw new InvalidDayException(
            "not a schedule's event: unknown field '"
                + name
                + "' (expected mode, scheduledTime, attempt, executionId; or an EventBridge"
                + " Scheduled Event)");
      }
    }
    ScheduledRun.Mode mode =
        switch (json.path("mode").asText("")) {
          case "daily" -> ScheduledRun.Mode.DAILY;
          case "hourly" -> ScheduledRun.Mode.HOURLY;
          default ->
              throw new InvalidDayException(
                  "not a schedule's event: mode must be daily or hourly, got '"
                      + json.path("mode").asText("")
                      + "'");
        };
    return new ScheduledRun(mode, time(json, "scheduledTime"), attempt(json));
  }

  private static Instant time(JsonNode json, String field) {
    String text = json.path(field).asText("");
    if (text.isEmpty()) {
      throw new InvalidDayException("the schedule's event has no " + field);
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidDayException(
          "the schedule's event has an invalid "
              + field
              + " '"
              + text
              + "' (expected an ISO"
              + " instant such as 2026-11-28T00:05:00Z)");
    }
  }

  private static int attempt(JsonNode json) {
    String text = json.path("attempt").asText("0");
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0; // informational only
    }
  }
}
