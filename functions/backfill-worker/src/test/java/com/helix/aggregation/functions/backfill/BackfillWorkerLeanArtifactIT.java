package com.helix.aggregation.functions.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.ArtifactClosure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker's artifact holds what the worker runs and nothing it does not: the cuts of its shade
 * configuration (unused events, the EMF library's unused dependencies, the driver's translations,
 * annotations) leave no class it refers to behind, except those listed with their reasons. That it
 * still runs is {@link BackfillWorkerArtifactIT}'s proof, under the real Lambda runtime.
 */
class BackfillWorkerLeanArtifactIT {
  private static final Path ARTIFACT = Path.of("target", "backfill-worker.jar");

  @Test
  void givenTheArtifact_thenItIsWithinItsBudgetAndHoldsOnlyWhatTheWorkerUses() throws IOException {
    List<String> entries = ArtifactClosure.entries(ARTIFACT);
    System.out.printf("backfill-worker artifact: %,d bytes%n", Files.size(ARTIFACT));

    assertThat(Files.size(ARTIFACT)).as("bytes").isLessThanOrEqualTo(15_000_000L);
    assertThat(entries)
        .contains(
            "com/helix/aggregation/functions/backfill/BackfillWorkerHandler.class",
            "com/amazonaws/services/lambda/runtime/events/SQSEvent$SQSMessage.class",
            "com/amazonaws/services/lambda/runtime/events/SQSBatchResponse.class",
            // The runtime's serializer loads it for every event it reads, SQSEvent included.
            "org/joda/time/DateTime.class");
    assertThat(entries)
        .filteredOn(
            e ->
                (e.startsWith("com/amazonaws/services/lambda/runtime/events/")
                        && !e.startsWith("com/amazonaws/services/lambda/runtime/events/SQS"))
                    || ArtifactClosure.CUT_FROM_DATABASE_FUNCTIONS.test(e))
        .isEmpty();
  }

  @Test
  void givenTheArtifact_thenEveryClassItRefersToIsInItOrLeftOutOnPurpose() {
    List<ArtifactClosure.Omission> omissions = new ArrayList<>(ArtifactClosure.PGJDBC_OPTIONALS);
    omissions.addAll(
        List.of(
            ArtifactClosure.SDK_CRT,
            ArtifactClosure.JODA_CONVERT,
            ArtifactClosure.FLYWAY,
            ArtifactClosure.EMF_AGENT_RETRY));

    assertThat(ArtifactClosure.unexplained(ARTIFACT, omissions)).isEmpty();
  }
}
