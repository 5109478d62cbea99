package com.helix.aggregation.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it: "now" is whatever the scenario needs. */
public final class ManualClock extends Clock {
  private volatile Instant now;

  public ManualClock(Instant now) {
    this.now = now;
  }

  public static ManualClock at(String instant) {
    return new ManualClock(Instant.parse(instant));
  }

  public void set(Instant instant) {
    now = instant;
  }

  public void set(String instant) {
    now = Instant.parse(instant);
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
