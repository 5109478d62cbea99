package com.helix.aggregation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What can be proved about the deploy without an AWS account: {@code sam validate --lint} and
 * {@code sam build} pass, the built template deploys the jars Maven built, and the CloudFormation
 * SAM makes of the template (its generated roles included) grants nothing on {@code *} beyond the
 * listed exceptions.
 */
class SamCliIT {

  @Test
  void givenTheTemplate_thenSamValidateLintPasses() {
    SamCli.Result validate =
        SamCli.sam("validate", "--lint", "--template-file", Template.PATH.toString());

    System.out.println("sam validate --lint: " + validate.output().strip());
    assertThat(validate.exitCode()).as(validate.output()).isZero();
    assertThat(validate.output()).contains("is a valid SAM Template");
  }

  @Test
  void givenThePackagedJars_thenSamBuildPasses_andTheBuiltTemplateDeploysThoseJars()
      throws IOException {
    SamCli.Result build = SamCli.build();

    System.out.println("sam build: " + build.output().strip());
    assertThat(build.exitCode()).as(build.output()).isZero();
    assertThat(build.output()).contains("Build Succeeded");
    JsonNode built = Template.read(SamCli.builtTemplate());
    Template source = Template.parse();
    for (String function : source.functions()) {
      JsonNode properties = built.at("/Resources/" + function + "/Properties");
      Path artifact = SamCli.BUILD_DIR.resolve(properties.get("CodeUri").asText()).normalize();
      Path jar =
          Template.PATH
              .getParent()
              .resolve(source.resource(function).at("/Properties/CodeUri").asText())
              .normalize();
      assertThat(Files.isSameFile(artifact, jar)).as(function + " deploys " + jar).isTrue();
      assertThat(properties.get("Handler").asText())
          .isEqualTo(source.resource(function).at("/Properties/Handler").asText());
      System.out.printf("%s artifact: %s, %,d bytes%n", function, jar, Files.size(jar));
    }
  }

  @Test
  void givenTheCloudFormationSamMakes_thenNoStatementGrantsAWildcardBeyondTheListedExceptions()
      throws IOException {
    JsonNode translated = new ObjectMapper().readTree(SamCli.translated().toFile());
    List<String> wildcards = new ArrayList<>();
    List<String> managed = new ArrayList<>();

    Template.iamStatements(translated)
        .forEach(
            (resource, statements) -> {
              for (JsonNode statement : statements) {
                if (Template.resources(statement).contains("*")) {
                  wildcards.add(resource + "/" + statement.path("Sid").asText("(no Sid)"));
                }
              }
            });
    translated
        .get("Resources")
        .fields()
        .forEachRemaining(
            r ->
                r.getValue()
                    .at("/Properties/ManagedPolicyArns")
                    .forEach(a -> managed.add(r.getKey() + ": " + a)));

    assertThat(wildcards)
        .containsExactlyInAnyOrderElementsOf(
            TemplateMatchesCodeTest.IAM_WILDCARD_EXCEPTIONS.keySet());
    assertThat(managed).as("AWS managed policies grant on *").isEmpty();
    // the schedules' roles, which SAM makes: invoke the live alias, send dead letters to the DLQ
    for (String schedule :
        List.of("ScheduledAggregatorFunctionDailyRole", "ScheduledAggregatorFunctionHourlyRole")) {
      String policies = translated.at("/Resources/" + schedule + "/Properties/Policies").toString();
      assertThat(policies)
          .contains("\"lambda:InvokeFunction\"", "ScheduledAggregatorFunctionAliaslive")
          .contains("\"sqs:SendMessage\"", "SchedulerDeadLetterQueue");
    }
    assertThat(
            translated
                .at("/Resources/BackfillWorkerFunctionBackfillQueue/Properties/FunctionName")
                .toString())
        .as("the queue invokes the SnapStart alias")
        .contains("BackfillWorkerFunctionAliaslive");
    assertThat(
            Map.of(
                "topic",
                translated
                    .at("/Resources/SlackNotifierFunctionAlarms/Properties/Endpoint")
                    .toString()))
        .extractingByKey("topic")
        .asString()
        .contains("SlackNotifierFunctionAliaslive");
  }
}
