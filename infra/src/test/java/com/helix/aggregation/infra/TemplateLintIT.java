package com.helix.aggregation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** cfn-lint, pinned in the project's virtual environment: errors and warnings both fail. */
class TemplateLintIT {

  @Test
  void givenTheTemplate_thenCfnLintFindsNothing() throws Exception {
    Path root = Path.of(System.getProperty("helix.root", ".."));
    Path cfnLint = root.resolve(".venv/bin/cfn-lint");
    assertThat(cfnLint).as("run tools/python/setup-venv.sh (the build does)").isExecutable();

    Process lint =
        new ProcessBuilder(cfnLint.toString(), "--format", "parseable", Template.PATH.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(5, TimeUnit.MINUTES)).isTrue();

    // exit 0 is clean; 2 errors, 4 warnings, 8 informational (bit flags)
    assertThat(lint.exitValue()).as(output).isZero();
    assertThat(Files.readString(Template.PATH)).contains("Transform: AWS::Serverless-2016-10-31");
  }
}
