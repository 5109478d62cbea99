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
 */
public record Failure(String errorClass, String message, String causeChain) {

  public static final String VERIFICATION_MISMATCH = "VerificationMismatch";
  public static final String ATTEMPT_ABANDONED = "AttemptAbandoned";

  public Failure {
    Objects.requireNonNull(errorClass, "errorClass");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(causeChain, "causeChain");
  }

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
        error.getClass().getSimpleName(), String.valueOf(error.getMessage()), chain.toString());
  }

  /** Attempts that never finished: their process died (killed, timed out, out of memory). */
  public static Failure abandoned(int count) {
    String message =
        count
            + " earlier attempt(s) never finished: the process died (killed, timed out or out of"
            + " memory) while holding the lease";
    return new Failure(ATTEMPT_ABANDONED, message, message);
  }

  public static Failure verificationMismatch(VerificationReport report) {
    return new Failure(VERIFICATION_MISMATCH, report.describe(), report.describe());
  }
}
