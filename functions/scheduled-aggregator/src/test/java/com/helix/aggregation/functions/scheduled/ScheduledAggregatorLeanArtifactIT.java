package com.helix.aggregation.functions.scheduled;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.ArtifactClosure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's artifact is within issue 12's budget (15 MB) and holds what the aggregator runs
 * and nothing it does not: no Lambda event classes or joda-time (its handler reads the schedule's
 * JSON itself), none of the EMF library's unused dependencies, no driver translations or
 * annotations; and the cuts leave no class it refers to behind, except those listed with their
 * reasons. That it still runs is {@link ScheduledAggregatorArtifactIT}'s proof, under the real
 * Lambda runtime.
 */
class ScheduledAggregatorLeanArtifactIT {
  private static final Path ARTIFACT = Path.of("target", "scheduled-aggregator.jar");

  @Test
  void givenTheArtifact_thenItIsWithinItsBudgetAndHoldsOnlyWhatTheAggregatorUses()
      throws IOException {
    List<String> entries = ArtifactClosure.entries(ARTIFACT);
    System.out.printf("scheduled-aggregator artifact: %,d bytes%n", Files.size(ARTIFACT));

    assertThat(Files.size(ARTIFACT)).as("bytes").isLessThanOrEqualTo(15_000_000L);
    assertThat(entries)
        .contains(
            "com/helix/aggregation/functions/scheduled/ScheduledAggregationHandler.class",
            "org/postgresql/Driver.class",
            "software/amazon/awssdk/services/dynamodb/DynamoDbClient.class",
            "software/amazon/awssdk/services/sqs/SqsClient.class",
            "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
            "software/amazon/cloudwatchlogs/emf/logger/MetricsLogger.class");
    assertThat(entries)
        .filteredOn(
            e ->
                e.startsWith("com/amazonaws/services/lambda/runtime/events/")
                    || e.startsWith("org/joda/")
                    || ArtifactClosure.CUT_FROM_DATABASE_FUNCTIONS.test(e))
        .isEmpty();
  }

  @Test
  void givenTheArtifact_thenEveryClassItRefersToIsInItOrLeftOutOnPurpose() {
    List<ArtifactClosure.Omission> omissions = new ArrayList<>(ArtifactClosure.PGJDBC_OPTIONALS);
    omissions.addAll(
        List.of(ArtifactClosure.SDK_CRT, ArtifactClosure.FLYWAY, ArtifactClosure.EMF_AGENT_RETRY));

    assertThat(ArtifactClosure.unexplained(ARTIFACT, omissions)).isEmpty();
  }
}
