package com.helix.aggregation.cli;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A UTC calendar day: {@code yyyy-MM-dd}, or {@code today} / {@code yesterday} resolved in UTC. A
 * timestamp is refused: a day is a calendar day, not a moment.
 */
final class DayConverter implements ITypeConverter<LocalDate> {
  private final Clock clock;

  DayConverter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public LocalDate convert(String value) {
    return parse(value, clock);
  }

  static LocalDate parse(String value, Clock clock) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    switch (value) {
      case "today":
        return today;
      case "yesterday":
        return today.minusDays(1);
      default:
        break;
    }
    if (value.contains("T") || value.contains(":")) {
      throw new TypeConversionException(
          "'" + value + "' is a timestamp; give a UTC calendar day as yyyy-MM-dd");
    }
    try {
      if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
        throw new DateTimeParseException("not yyyy-MM-dd", value, 0);
      }
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "invalid date '" + value + "': expected yyyy-MM-dd, today or yesterday");
    }
  }
}
