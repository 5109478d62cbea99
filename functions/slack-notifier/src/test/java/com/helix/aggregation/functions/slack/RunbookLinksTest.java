package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RunbookLinksTest {
  private final RunbookLinks runbook =
      new RunbookLinks(
          URI.create("https://github.com/helix/helix-aggregation/blob/main/docs/runbook.md"));

  @Test
  void givenADescriptionEndingWithItsRunbookAnchor_thenTheLinkIsTheBasePlusTheAnchor() {
    assertThat(runbook.forDescription("Yesterday is not verified. Runbook: #stale-aggregates"))
        .hasToString(
            "https://github.com/helix/helix-aggregation/blob/main/docs/runbook.md#stale-aggregates");
  }

  @Test
  void givenTrailingWhitespaceOrANewLineBeforeTheAnchor_thenItIsStillFound() {
    assertThat(RunbookLinks.anchor("Backfill DLQ not empty.\nRunbook:  #backfill-dlq \n"))
        .contains("backfill-dlq");
  }

  @Test
  void givenNoAnchor_thenTheLinkIsTheBaseAlone() {
    assertThat(runbook.forDescription("Days that failed for good.")).isEqualTo(runbook.base());
    assertThat(runbook.forDescription("")).isEqualTo(runbook.base());
    assertThat(runbook.forDescription(null)).isEqualTo(runbook.base());
  }

  @Test
  void givenTheAnchorNotAtTheEnd_thenItIsNotTheConvention_andTheBaseIsUsed() {
    assertThat(runbook.forDescription("Runbook: #stale-aggregates, then call billing"))
        .isEqualTo(runbook.base());
  }

  @Test
  void givenADescription_thenWhatIsShownLeavesTheAnchorOut() {
    assertThat(RunbookLinks.withoutAnchor("Yesterday is not verified. Runbook: #stale-aggregates"))
        .isEqualTo("Yesterday is not verified.");
    assertThat(RunbookLinks.withoutAnchor("Runbook: #stale-aggregates")).isEmpty();
    assertThat(RunbookLinks.withoutAnchor("No anchor here.")).isEqualTo("No anchor here.");
  }
}
