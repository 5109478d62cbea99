package com.helix.aggregation.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A request to stop a run early: SIGTERM or Ctrl-C of the command line (a function is not stopped
 * this way: Lambda ends it at its timeout, and the run's deadline keeps it within that). The run
 * finishes the statement it is in, records the attempt as {@link Outcome#INTERRUPTED} (not a
 * failure of the day), releases its leases and ends. Waits of the run ({@link #sleep}) end at once
 * when a stop is requested; adapters register what must happen at that moment (a database session
 * cancels the statement it runs for the day).
 */
public final class StopSignal implements Sleeper {
  private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
  private volatile String reason;

  /** Asks the run to stop; the first reason wins. Safe from any thread (a shutdown hook). */
  public void request(String why) {
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
      notifyAll();
    }
    onStop.forEach(Runnable::run);
  }

  public boolean isRequested() {
    return reason != null;
  }

  /** Why the run was asked to stop, or null. */
  public String reason() {
    return reason;
  }

  /**
   * @throws RunInterruptedException when a stop was requested
   */
  public void check() {
    if (reason != null) {
      throw new RunInterruptedException(reason);
    }
  }

  /** Registers what to do when a stop is requested (called on the requesting thread). */
  public void onStop(Runnable action) {
    onStop.add(action);
  }

  /**
   * Waits for {@code duration}, or until a stop is requested.
   *
   * @throws RunInterruptedException when a stop was or is requested
   */
  @Override
  public void sleep(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    synchronized (this) {
      while (reason == null) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RunInterruptedException("interrupted while waiting");
        }
      }
    }
    check();
  }
}
