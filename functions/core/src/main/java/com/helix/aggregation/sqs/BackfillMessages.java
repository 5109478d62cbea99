package com.helix.aggregation.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.core.queue.BackfillMessage;
import com.helix.aggregation.core.queue.QueuedMessage;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The body of a backfill queue message: {@code {"day":"2024-01-05","requestId":"backfill-…",
 * "force":false,"includeToday":false}}. Anything else is poison, with a one-line reason: not JSON,
 * unknown fields, no day or request, a day that is not {@code yyyy-MM-dd}, in the future, today
 * without {@code includeToday}, or before 1970.
 */
public final class BackfillMessages {
  /** The earliest day a message may name: usage records before it are not data but a mistake. */
  public static final LocalDate EARLIEST_DAY = LocalDate.of(1970, 1, 1);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The wire form, field for field. */
  private record Body(String day, String requestId, Boolean force, Boolean includeToday) {}

  private BackfillMessages() {}

  public static String encode(BackfillMessage message) {
    try {
      return JSON.writeValueAsString(
          new Body(
              message.day().toString(),
              message.requestId(),
              message.force(),
              message.includeToday()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a backfill message", e);
    }
  }

  /** The message read from its body, or poison with the reason. */
  public static QueuedMessage decode(String messageId, String body, Clock clock) {
    if (body == null || body.isBlank()) {
      return QueuedMessage.poison(messageId, body == null ? "" : body, "the message is empty");
    }
    Body read;
    try {
      read = JSON.readValue(body, Body.class);
    } catch (UnrecognizedPropertyException e) {
      return QueuedMessage.poison(
          messageId,
          body,
          "unknown field '"
              + e.getPropertyName()
              + "' (a backfill message has day, requestId, force and includeToday)");
    } catch (JsonProcessingException e) {
      return QueuedMessage.poison(
          messageId, body, "not a backfill message: " + e.getOriginalMessage());
    }
    if (read == null) {
      return QueuedMessage.poison(messageId, body, "not a backfill message: the body is null");
    }
    if (read.day() == null || read.day().isBlank()) {
      return QueuedMessage.poison(messageId, body, "no day in the message");
    }
    if (read.requestId() == null || read.requestId().isBlank()) {
      return QueuedMessage.poison(messageId, body, "no requestId in the message");
    }
    LocalDate day;
    try {
      if (!read.day().matches("\\d{4}-\\d{2}-\\d{2}")) {
        throw new DateTimeParseException("not yyyy-MM-dd", read.day(), 0);
      }
      day = LocalDate.parse(read.day());
    } catch (DateTimeParseException e) {
      return QueuedMessage.poison(
          messageId, body, "invalid day '" + read.day() + "': expected a UTC day as yyyy-MM-dd");
    }
    boolean includeToday = Boolean.TRUE.equals(read.includeToday());
    LocalDate today = UtcDay.today(clock);
    if (day.isAfter(today)) {
      return QueuedMessage.poison(
          messageId, body, "day " + day + " is in the future (today is " + today + " UTC)");
    }
    if (day.equals(today) && !includeToday) {
      return QueuedMessage.poison(
          messageId, body, "day " + day + " is today (UTC) and the message does not include today");
    }
    if (day.isBefore(EARLIEST_DAY)) {
      return QueuedMessage.poison(
          messageId, body, "day " + day + " is out of range (before " + EARLIEST_DAY + ")");
    }
    return QueuedMessage.readable(
        messageId,
        body,
        new BackfillMessage(
            day, read.requestId(), Boolean.TRUE.equals(read.force()), includeToday));
  }
}
