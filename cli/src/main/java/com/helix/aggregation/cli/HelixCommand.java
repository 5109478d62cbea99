package com.helix.aggregation.cli;

import com.helix.aggregation.core.StopSignal;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code helix}: the command-line tool. Every command that touches the database, except {@code
 * demo}, needs {@code HELIX_DATABASE_URL}, {@code HELIX_DB_SECRET_ARN} or an explicit {@code
 * --embedded}. Exit codes: 0 ok, 1 failure, 2 bad usage; errors are one line, never a stack trace.
 */
@Command(
    name = "helix",
    mixinStandardHelpOptions = true,
    versionProvider = HelixCommand.Version.class,
    description = "Verified daily aggregates of Helix usage and cost records.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      BackfillCommand.class,
      StatusCommand.class,
      VerifyCommand.class,
      MigrateCommand.class,
      TrackChangesCommand.class,
      BenchCommand.class,
      InvokeCommand.class,
      DlqCommand.class
    })
public final class HelixCommand {
  final Map<String, String> env;
  final PrintStream out;
  final Clock clock;
  final StopSignal stop;

  public HelixCommand(Map<String, String> env, PrintStream out, Clock clock, StopSignal stop) {
    this.env = env;
    this.out = out;
    this.clock = clock;
    this.stop = stop;
  }

  public static void main(String[] args) {
    StopSignal stop = new StopSignal();
    Interrupts.stopOnSignals(stop);
    System.exit(execute(System.getenv(), System.out, System.err, Clock.systemUTC(), stop, args));
  }

  /** Runs one command line; returns its exit code. */
  public static int execute(
      Map<String, String> env, PrintStream out, PrintStream err, Clock clock, String... args) {
    return execute(env, out, err, clock, new StopSignal(), args);
  }

  /**
   * Runs one command line that {@code stop} may interrupt; returns its exit code (130 after SIGINT,
   * 143 after SIGTERM, as a shell reports a process they ended).
   */
  public static int execute(
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Clock clock,
      StopSignal stop,
      String... args) {
    CommandLine cli = new CommandLine(new HelixCommand(env, out, clock, stop));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.registerConverter(java.time.LocalDate.class, new DayConverter(clock));
    cli.setParameterExceptionHandler(CliErrors::onBadUsage);
    cli.setExecutionExceptionHandler(CliErrors::onFailure);
    return cli.execute(args);
  }

  /** The version from the jar's manifest, if built as a jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = HelixCommand.class.getPackage().getImplementationVersion();
      return new String[] {"helix " + (version == null ? "(development build)" : version)};
    }
  }
}
