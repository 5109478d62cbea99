package com.helix.aggregation.cli;

import com.helix.aggregation.config.ConfigException;
import com.helix.aggregation.core.InvalidDayException;
import com.helix.aggregation.core.RunInterruptedException;
import com.helix.aggregation.postgres.LeaseStoreMismatchException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every error into one line on standard error and an exit code: 2 for bad usage (what the
 * user typed or configured, including a lease store other than the deployment's), 1 for failures
 * (the database, the lease service, the raw table), 130 or 143 when SIGINT or SIGTERM stopped the
 * run. No stack trace reaches a user.
 */
final class CliErrors {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  private CliErrors() {}

  static int onBadUsage(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr()
        .println(
            "helix: "
                + oneLine(e.getMessage())
                + " (see '"
                + cli.getCommandSpec().qualifiedName()
                + " --help')");
    return USAGE;
  }

  static int onFailure(Exception e, CommandLine cli, ParseResult parsed) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof RunInterruptedException) {
      cli.getErr().println("helix: interrupted (" + oneLine(message) + "); nothing was charged");
      return Interrupts.exitCode(((HelixCommand) parsed.commandSpec().root().userObject()).stop);
    }
    boolean usage =
        e instanceof UsageException
            || e instanceof ConfigException
            || e instanceof InvalidDayException
            || e instanceof LeaseStoreMismatchException;
    cli.getErr().println("helix: " + (usage ? "" : "error: ") + oneLine(message));
    return usage ? USAGE : FAILURE;
  }

  private static String oneLine(String message) {
    return message.lines().findFirst().orElse("").strip();
  }
}
