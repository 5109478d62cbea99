package com.helix.aggregation.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * AWS SAM CLI from the project's venv ({@code tools/python/requirements.txt}), run as CI runs it:
 * telemetry off, no standard input, nothing that needs an AWS account or the network. {@link
 * #build()} runs {@code sam build} once per test JVM, after Maven packaged the functions' jars (the
 * template marks them {@code SkipBuild}: SAM's Maven builder cannot build one module of a
 * multi-module project).
 */
final class SamCli {
  static final Path BUILD_DIR = Path.of("target", "sam-build");

  private static Result build;

  private SamCli() {}

  /** What one command printed and how it ended. */
  record Result(int exitCode, String output) {}

  static Result sam(String... args) {
    Path sam = Template.ROOT.resolve(".venv/bin/sam");
    if (!Files.isExecutable(sam)) {
      throw new IllegalStateException("run tools/python/setup-venv.sh (the build does)");
    }
    List<String> command = new ArrayList<>();
    command.add(sam.toString());
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs {@code sam build} once; later calls get the first one's result. */
  static synchronized Result build() {
    if (build == null) {
      build =
          sam(
              "build",
              "--template-file",
              Template.PATH.toString(),
              "--build-dir",
              BUILD_DIR.toString());
    }
    return build;
  }

  /** The template {@code sam build} left, to deploy from. */
  static Path builtTemplate() {
    Result result = build();
    if (result.exitCode() != 0) {
      throw new IllegalStateException("sam build failed:\n" + result.output());
    }
    return BUILD_DIR.resolve("template.yaml");
  }

  /** The CloudFormation that SAM makes of the template, written offline by SAM's translator. */
  static Path translated() {
    Path out = Path.of("target", "sam-translated.json");
    Result result =
        run(
            List.of(
                Template.ROOT.resolve(".venv/bin/python").toString(),
                Path.of("src", "test", "resources", "sam_translate.py").toString(),
                Template.PATH.toString(),
                out.toString()));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("SAM's translator failed:\n" + result.output());
    }
    return out;
  }

  private static Result run(List<String> command) {
    ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
    process.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    process.environment().put("SAM_CLI_TELEMETRY", "0");
    // any region: nothing is called; the translator only needs one for ARNs
    process.environment().putIfAbsent("AWS_DEFAULT_REGION", "us-east-1");
    process.environment().remove("AWS_ENDPOINT_URL");
    try {
      Process started = process.start();
      String output = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!started.waitFor(5, TimeUnit.MINUTES)) {
        started.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in 5 minutes:\n" + output);
      }
      return new Result(started.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
