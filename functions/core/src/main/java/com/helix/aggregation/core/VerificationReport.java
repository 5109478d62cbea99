package com.helix.aggregation.core;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The result of verifying a stored aggregate against an independent read of the raw table.
 *
 * @param stored the stored header totals
 * @param raw {@code count(*)} and sums read from the raw table after the write committed
 * @param breakdown the sums of the stored breakdown rows
 * @param tolerance the allowed cost difference (counts and tokens are always exact)
 * @param superseded true when a newer writer replaced the aggregate during verification; it then
 *     verifies its own figures and this report passes no judgement
 */
public record VerificationReport(
    LocalDate day,
    int revision,
    Totals stored,
    Totals raw,
    Totals breakdown,
    BigDecimal tolerance,
    boolean superseded) {

  public boolean passed() {
    return !superseded && stored.matches(raw, tolerance) && stored.sameAs(breakdown);
  }

  /** One line with both figures, for the log and the job run. */
  public String describe() {
    if (superseded) {
      return "verification of " + day + " revision " + revision + " superseded by a newer writer";
    }
    StringBuilder text = new StringBuilder();
    text.append(passed() ? "verified " : "verification failed for ")
        .append(day)
        .append(" revision ")
        .append(revision);
    if (!stored.matches(raw, tolerance)) {
      text.append(": stored [").append(stored).append("] but raw table has [").append(raw);
      text.append("] (cost tolerance ").append(tolerance.toPlainString()).append(')');
    }
    if (!stored.sameAs(breakdown)) {
      text.append(": header [")
          .append(stored)
          .append("] but breakdown sums to [")
          .append(breakdown)
          .append(']');
    }
    return text.toString();
  }
}
