package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.testing.ArtifactClosure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The notifier's artifact keeps of the Lambda events only SNSEvent (what it reads; the runtime's
 * serializer loads it and joda-time from the function), and the cut leaves no class it refers to
 * behind, except those listed with their reasons.
 */
class SlackNotifierLeanArtifactIT {
  private static final Path ARTIFACT = Path.of("target", "slack-notifier.jar");

  @Test
  void givenTheArtifact_thenOfTheLambdaEventsItHoldsOnlySnsEvent() throws IOException {
    assertThat(ArtifactClosure.entries(ARTIFACT))
        .filteredOn(e -> e.startsWith("com/amazonaws/services/lambda/runtime/events/"))
        .isNotEmpty()
        .allMatch(e -> e.startsWith("com/amazonaws/services/lambda/runtime/events/SNSEvent"));
  }

  @Test
  void givenTheArtifact_thenEveryClassItRefersToIsInItOrLeftOutOnPurpose() {
    assertThat(
            ArtifactClosure.unexplained(
                ARTIFACT, List.of(ArtifactClosure.SDK_CRT, ArtifactClosure.JODA_CONVERT)))
        .isEmpty();
  }
}
