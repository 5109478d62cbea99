package com.helix.aggregation.cli;

import com.helix.aggregation.core.StopSignal;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM stop a run cleanly instead of killing it (SPEC §6): the day's
 * statement in progress is cancelled, the attempt is recorded as interrupted (not a failure of the
 * day), its leases are released, and the process exits with 130 or 143. A second signal while the
 * run winds down ends the process at once.
 */
final class Interrupts {
  static final int SIGINT_EXIT = 130;
  static final int SIGTERM_EXIT = 143;
  static final String SIGINT = "SIGINT";
  static final String SIGTERM = "SIGTERM";

  private Interrupts() {}

  static void stopOnSignals(StopSignal stop) {
    handle("INT", SIGINT, SIGINT_EXIT, stop);
    handle("TERM", SIGTERM, SIGTERM_EXIT, stop);
  }

  /** The exit code of a run that was asked to stop. */
  static int exitCode(StopSignal stop) {
    return SIGINT.equals(stop.reason()) ? SIGINT_EXIT : SIGTERM_EXIT;
  }

  private static void handle(String signal, String reason, int exitCode, StopSignal stop) {
    Signal.handle(
        new Signal(signal),
        s -> {
          if (stop.isRequested()) {
            Runtime.getRuntime().halt(exitCode);
          }
          System.err.println(
              "helix: " + reason + " received: stopping after the current statement...");
          stop.request(reason);
        });
  }
}
