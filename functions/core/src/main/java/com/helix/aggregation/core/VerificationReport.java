package com.helix.aggregation.core;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The result of verifying a stored aggregate against an independent read of the raw table.
 *
 * @param stored the stored header totals
 * @param raw {@code count(*)} and {@code sum(cost_usd)} read from the raw table after the write
 *     committed
 * @param breakdown the sums of the stored breakdown rows
 * @param tolerance the allowed cost difference between stored and raw (counts are always exact, and
 *     the breakdown must sum to the header exactly)
 * @param superseded true when a newer writer replaced the aggregate during verification; it then
 *     verifies its own figures and this report passes no judgement
 * @param rawMoved on a mismatch: the raw data, read in the verification's own snapshot, no longer
 *     hashes to the stored source hash. Rows arrived, changed or went since the aggregation read
 *     them (a day still receiving writes): the aggregate stays unverified and the next run
 *     re-aggregates it, but the mismatch is not a failure of the day (SPEC §6)
 */
public record VerificationReport(
    LocalDate day,
    int revision,
    Totals stored,
    RawTotals raw,
    Totals breakdown,
    BigDecimal tolerance,
    boolean superseded,
    boolean rawMoved) {

  public boolean passed() {
    return !superseded && raw.matches(stored, tolerance) && stored.sameAs(breakdown);
  }

  /**
   * A mismatch over raw data that did not move: the stored figures are wrong, a failure of the day.
   */
  public boolean isFailure() {
    return !passed() && !superseded && !rawMoved;
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
    if (!raw.matches(stored, tolerance)) {
      text.append(": stored [")
          .append(RawTotals.of(stored))
          .append("] but raw table has [")
          .append(raw);
      text.append("] (cost tolerance ").append(tolerance.toPlainString()).append(')');
    }
    if (rawMoved) {
      text.append(" (the raw data changed after it was aggregated: the next run re-aggregates it)");
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
