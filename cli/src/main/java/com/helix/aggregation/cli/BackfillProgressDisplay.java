package com.helix.aggregation.cli;

import com.helix.aggregation.core.BackfillListener;
import com.helix.aggregation.core.BackfillProgress;
import com.helix.aggregation.core.PlannedDay;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Shows a backfill's progress: on a terminal one line rewritten in place (done / total, rate, ETA);
 * otherwise, as in a CI log or a pipe, one line per batch ({@code Aggregated 7/365 days}).
 */
final class BackfillProgressDisplay implements BackfillListener {
  private final PrintStream out;
  private final boolean terminal;
  private final String verb;
  private final String indent;
  private boolean lineOpen;

  BackfillProgressDisplay(PrintStream out, boolean terminal, boolean dryRun, String indent) {
    this.out = out;
    this.terminal = terminal;
    this.verb = dryRun ? "Checked" : "Aggregated";
    this.indent = indent;
  }

  /** A terminal display when standard output is a console, batch log lines otherwise. */
  static BackfillProgressDisplay forConsole(PrintStream out, boolean dryRun, String indent) {
    return new BackfillProgressDisplay(
        out, out == System.out && System.console() != null, dryRun, indent);
  }

  @Override
  public void waitingForOtherBackfill(String leaseStore) {
    closeLine();
    out.println(
        "Another backfill is running (it holds the backfill lease in "
            + leaseStore
            + "); waiting for it to finish...");
  }

  @Override
  public void failuresReset(int days) {
    closeLine();
    out.println("Reset " + days + " permanently failed day(s) for another try.");
  }

  @Override
  public void dayPlanned(PlannedDay day) {
    closeLine();
    out.printf("%s  %s%n", day.day(), day.status().label());
  }

  @Override
  public void dayFailedForGood(LocalDate day, String reason) {
    closeLine();
    out.printf("%s  permanently failed: %s%n", day, reason);
  }

  @Override
  public void batchFinished(BackfillProgress progress) {
    String line =
        String.format(
            "%s%s %d/%d days%s, %.1f days/s, ETA %s",
            indent,
            verb,
            progress.succeeded(),
            progress.total(),
            progress.failed() == 0 ? "" : ", " + progress.failed() + " failed or unfinished",
            progress.rate(),
            progress.eta().map(BackfillProgressDisplay::format).orElse("unknown"));
    if (terminal) {
      out.print("\r" + line + "   ");
      out.flush();
      lineOpen = true;
    } else {
      out.println(line);
    }
  }

  void finish() {
    closeLine();
  }

  private void closeLine() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
  }

  private static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
