package com.helix.aggregation.snapstart;

import com.helix.aggregation.wiring.HelixWiring;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart for a function wired by {@link HelixWiring} (SPEC §9). Lambda snapshots an execution
 * environment once its initialization is done and restores that snapshot into any number of new
 * ones, so:
 *
 * <ul>
 *   <li><b>before the checkpoint</b> the first invocation's code paths are warmed without any
 *       network call or connection ({@link Priming}), and the snapshot is left with no database
 *       session and no secret: a session would be dead in every clone, and the secret may be
 *       rotated before a clone starts;
 *   <li><b>after each restore</b> what must differ per clone is renewed (the retry jitter's random
 *       generator, the lease owner ids remembered in memory) and the session and the secret are
 *       dropped, to be established again on first use. Invocation ids (request ids, lease owners,
 *       attempt keys) are drawn per invocation anyway.
 * </ul>
 *
 * Registered once per execution environment by a handler's no-arg constructor. CRaC holds its
 * resources weakly: the handler keeps the returned hooks for the environment's lifetime. Outside
 * SnapStart (and CRaC) registering does nothing.
 */
public final class SnapStartHooks implements Resource {
  private final HelixWiring wiring;
  private final Priming priming;

  private SnapStartHooks(HelixWiring wiring, Runnable eventParsing) {
    this.wiring = wiring;
    this.priming = new Priming(wiring, eventParsing);
  }

  /**
   * @param eventParsing the function's own parsing of a representative event (no side effects)
   */
  public static SnapStartHooks register(HelixWiring wiring, Runnable eventParsing) {
    SnapStartHooks hooks = new SnapStartHooks(wiring, eventParsing);
    Core.getGlobalContext().register(hooks);
    return hooks;
  }

  /** Primes, then releases the session and the secret, even if priming failed. */
  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    try {
      priming.run();
    } finally {
      wiring.releaseForCheckpoint();
    }
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    wiring.renewAfterRestore();
  }
}
