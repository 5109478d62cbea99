package com.helix.aggregation.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code helix} in a process of its own, as an operator runs it: its own JVM (the test's class
 * path), its own environment (nothing inherited from HELIX_ or AWS_ variables), real signals.
 */
final class HelixProcess implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;

  private HelixProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code helix} with SIGINT and SIGTERM at their defaults, as from a terminal, whatever
   * this test JVM inherited: a build started as a background job of a script ({@code cmd &})
   * ignores SIGINT, an ignored signal stays ignored across fork and exec, and a JVM that starts
   * with SIGINT ignored never installs helix's handler, so Ctrl-C would be tested on a process that
   * cannot receive it. Python resets both and replaces itself with the JVM (same process id).
   */
  private static final List<String> WITH_DEFAULT_SIGNALS =
      List.of(
          "python3",
          "-c",
          "import os, signal, sys\n"
              + "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
              + "signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
              + "os.execv(sys.argv[1], sys.argv[1:])");

  static HelixProcess start(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(WITH_DEFAULT_SIGNALS);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            HelixCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("HELIX_") || k.startsWith("AWS_"));
    builder.environment().putAll(env);
    try {
      Path out = Files.createTempFile("helix-out", ".txt");
      Path err = Files.createTempFile("helix-err", ".txt");
      return new HelixProcess(
          builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as Lambda, systemd or kill do by default. */
  void terminate() {
    process.destroy();
  }

  /** SIGINT, as Ctrl-C does. */
  void interrupt() {
    signal("INT");
  }

  /** SIGKILL: no finally block runs, nothing is released. */
  void kill() {
    process.destroyForcibly();
  }

  /** Waits for the exit; returns its code, or -1 if it did not end in time. */
  int waitFor(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String out() {
    return read(out);
  }

  String err() {
    return read(err);
  }

  /** Kills the process if it still runs and deletes what it printed. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
