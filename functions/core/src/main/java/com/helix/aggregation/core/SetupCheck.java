package com.helix.aggregation.core;

/**
 * Port: checks once, before the first day of a run, that the environment can aggregate at all (the
 * database reachable, the schema current, the raw table and its columns present and readable, the
 * owned tables writable, the lease store reachable and the one this deployment uses). A run whose
 * setup is broken fails at once, and no day is charged for it (SPEC §6).
 */
@FunctionalInterface
public interface SetupCheck {
  /** A check that passes; for tests of logic that does not depend on it. */
  SetupCheck NONE = () -> {};

  /**
   * @throws EnvironmentException naming the problem and its fix
   */
  void verify();
}
