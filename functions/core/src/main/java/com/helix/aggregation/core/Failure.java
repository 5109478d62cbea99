package com.helix.aggregation.core;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why an attempt failed, with the full context an operator needs (SPEC §6).
 *
 * @param errorClass a short class of error, e.g. {@code SQLException} or {@code
 *     VerificationMismatch}
 * @param message one line naming the problem
 * @param causeChain the messages of the causes, outermost first
 * @param countsAgainstDay false for an error of the environment (database or lease store
 *     unreachable, a wrong raw table, a missing privilege): it fails the run but is never counted
 *     as an attempt of the day (SPEC §6, "only the day's own failures count")
 */
public record Failure(
    String errorClass, String message, String causeChain, boolean countsAgainstDay) {

  public static final String VERIFICATION_MISMATCH = "VerificationMismatch";
  public static final String ATTEMPT_ABANDONED = "AttemptAbandoned";

  public Failure {
    Objects.requireNonNull(errorClass, "errorClass");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(causeChain, "causeChain");
  }

  /**
   * The failure an error stands for: the environment's ({@link EnvironmentException}) or the day's.
   */
  public static Failure of(Throwable error) {
    StringBuilder chain = new StringBuilder();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = error; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (chain.length() > 0) {
        chain.append(" <- ");
      }
      chain.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return new Failure(
        error.getClass().getSimpleName(),
        String.valueOf(error.getMessage()),
        chain.toString(),
        !(error instanceof EnvironmentException));
  }

  /** Attempts that never finished: their process died (killed, timed out, out of memory). */
  public static Failure abandoned(int count) {
    String message =
        count
            + " earlier attempt(s) never finished: the process died (killed, timed out or out of"
            + " memory) while holding the lease";
    return new Failure(ATTEMPT_ABANDONED, message, message, true);
  }

  public static Failure verificationMismatch(VerificationReport report) {
    return new Failure(VERIFICATION_MISMATCH, report.describe(), report.describe(), true);
  }
}
