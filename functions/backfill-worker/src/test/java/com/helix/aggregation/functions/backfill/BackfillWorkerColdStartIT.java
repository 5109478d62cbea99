package com.helix.aggregation.functions.backfill;

import com.helix.aggregation.testing.ColdStarts;
import com.helix.aggregation.testing.ColdStarts.Variant;
import com.helix.aggregation.testing.probe.SdkClientsProbeHandler;
import com.helix.aggregation.testing.probe.SqsClientsProbeHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's cold start (issue 12): its deployable artifact under the Runtime Interface Emulator,
 * started as the template says, against PostgreSQL and moto, with a one-day message as its first
 * event; beside the floor, probes that build only the same SDK clients (on the same artifact):
 * idle, with the worker's own signature (the runtime then reads an SQSEvent and writes an
 * SQSBatchResponse), and with one call per client. Prints the table and writes it to {@code
 * target/cold-starts-backfill-worker.md}; asserts only that every invocation was right.
 */
class BackfillWorkerColdStartIT {
  static final String BASELINE = "probe: builds the same SDK clients";
  private static final String STREAM_PROBE =
      SdkClientsProbeHandler.class.getName() + "::handleRequest";
  private static final String SQS_PROBE =
      SqsClientsProbeHandler.class.getName() + "::handleRequest";

  @TempDir static Path work;
  private static Path probes;

  @BeforeAll
  static void build() {
    probes =
        ColdStarts.artifactWith(
            WorkerScenarios.ARTIFACT,
            work.resolve("probes.jar"),
            List.of(SdkClientsProbeHandler.class, SqsClientsProbeHandler.class));
  }

  @Test
  void givenAOneDayMessage_thenTheColdStartIsReportedBesideTheSdkClientsFloor() {
    String message = WorkerScenarios.message(WorkerScenarios.DAY);
    List<ColdStarts.Result> results =
        ColdStarts.measure(
            ColdStarts.runs(),
            List.of(
                new Variant(
                    "backfill-worker: one-day message", () -> WorkerScenarios.worker(Map.of())),
                new Variant(
                    BASELINE, () -> WorkerScenarios.probe(probes, STREAM_PROBE, "{}", Map.of())),
                new Variant(
                    "probe: same clients, SQSEvent in and SQSBatchResponse out",
                    () -> WorkerScenarios.probe(probes, SQS_PROBE, message, Map.of())),
                new Variant(
                    "probe: same clients, one call each",
                    () ->
                        WorkerScenarios.probe(
                            probes, STREAM_PROBE, "{}", Map.of("HELIX_PROBE_CALLS", "true")))));

    ColdStarts.report(
        "backfill-worker cold start", results, BASELINE, "cold-starts-backfill-worker.md");
  }
}
