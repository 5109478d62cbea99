package com.helix.aggregation.core;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An inclusive range of UTC calendar days, oldest first. */
public record DayRange(LocalDate from, LocalDate to) {

  public DayRange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new InvalidDayException("--from " + from + " is after --to " + to);
    }
  }

  public int size() {
    return (int) (to.toEpochDay() - from.toEpochDay() + 1);
  }

  public List<LocalDate> days() {
    List<LocalDate> days = new ArrayList<>(size());
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      days.add(d);
    }
    return days;
  }

  @Override
  public String toString() {
    return from + ".." + to;
  }
}
