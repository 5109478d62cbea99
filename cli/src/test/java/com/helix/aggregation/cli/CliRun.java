package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** One in-process run of the {@code helix} command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = HelixCommand.execute(env, o, e, Clock.systemUTC(), args);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The error is exactly one line, {@code helix: ...} with the message, no stack trace. */
  void assertOneLineError(String message) {
    assertThat(err.lines()).as(err).hasSize(1);
    assertThat(err).startsWith("helix: ").contains(message).doesNotContain("\tat ");
  }
}
