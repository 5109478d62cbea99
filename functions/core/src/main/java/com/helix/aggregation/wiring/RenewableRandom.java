package com.helix.aggregation.wiring;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The retry jitter's random generator, replaced by a freshly seeded one on {@link #renew()}: after
 * a SnapStart restore, every clone of a snapshot would otherwise draw the same stream from the
 * generator state the snapshot holds.
 */
public final class RenewableRandom implements RandomGenerator {
  private final Supplier<? extends RandomGenerator> source;
  private volatile RandomGenerator current;
  private volatile int renewals;

  /**
   * @param source a new, independently seeded generator on every call (production: {@code
   *     SecureRandom::new})
   */
  public RenewableRandom(Supplier<? extends RandomGenerator> source) {
    this.source = source;
    this.current = source.get();
  }

  @Override
  public long nextLong() {
    return current.nextLong();
  }

  /** Draws from a new generator from now on. */
  public void renew() {
    current = source.get();
    renewals++;
  }

  /** How many times the generator was replaced. */
  public int renewals() {
    return renewals;
  }
}
