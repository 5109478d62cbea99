package com.helix.aggregation.functions.backfill;

import com.helix.aggregation.functions.backfill.http.Apache5HttpClients;
import com.helix.aggregation.functions.backfill.http.ApacheHttpClients;
import com.helix.aggregation.functions.backfill.http.CrtHttpClients;
import com.helix.aggregation.functions.backfill.http.UrlConnectionHttpClients;
import com.helix.aggregation.testing.ColdStarts;
import com.helix.aggregation.testing.ColdStarts.Variant;
import com.helix.aggregation.testing.probe.SdkClientsProbeHandler;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tunings of issue 12 gain on a cold start, each measured on the worker's artifact under
 * the Runtime Interface Emulator beside the same artifact untuned: JVM options the managed runtime
 * takes through {@code JAVA_TOOL_OPTIONS}; the SnapStart priming run during initialization (what a
 * snapshot holds); and, on the SDK clients' probe with one call per client, the SDK's HTTP clients
 * and building the clients lazily on first use or sharing one HTTP client and credentials chain.
 * {@code -Dhelix.coldStarts.tuningRuns} cold starts per variant (3 unless set). An experiment
 * rather than a check (some ten minutes), so it is not named as the suite's tests are ({@code *IT})
 * and runs only when named: {@code mvn -B verify -pl functions/backfill-worker -am -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * -Dit.test=BackfillWorkerColdStartTuningExperiment}. Prints the tables and writes them to {@code
 * target/}; asserts only that every invocation was right.
 */
class BackfillWorkerColdStartTuningExperiment {
  private static final String PROBE = SdkClientsProbeHandler.class.getName() + "::handleRequest";
  private static final String PRIMED =
      PrimedBackfillWorkerHandler.class.getName() + "::handleRequest";

  /** The jars of the HTTP clients compared with the functions' URL-connection client. */
  private static final List<String> HTTP_CLIENT_JARS =
      List.of(
          "/apache-client/",
          "/httpclient/",
          "/httpcore/",
          "/commons-logging/",
          "/commons-codec/",
          "/apache5-client/",
          "/httpclient5/",
          "/httpcore5/",
          "/httpcore5-h2/",
          "/aws-crt-client/",
          "/crt-core/",
          "/crt/aws-crt/");

  @TempDir static Path work;
  private static Path primed;
  private static Path httpProbes;

  @BeforeAll
  static void build() {
    primed =
        ColdStarts.artifactWith(
            WorkerScenarios.ARTIFACT,
            work.resolve("primed.jar"),
            List.of(PrimedBackfillWorkerHandler.class));
    List<Path> jars =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> HTTP_CLIENT_JARS.stream().anyMatch(p::contains))
            .map(Path::of)
            .toList();
    httpProbes =
        ColdStarts.artifactWith(
            WorkerScenarios.ARTIFACT,
            work.resolve("http-probes.jar"),
            List.of(
                SdkClientsProbeHandler.class,
                UrlConnectionHttpClients.class,
                ApacheHttpClients.class,
                Apache5HttpClients.class,
                CrtHttpClients.class),
            jars);
  }

  @Test
  void givenJvmOptionsAndPriming_thenEachOnesGainIsReported() {
    String baseline = "worker as deployed";
    List<ColdStarts.Result> results =
        ColdStarts.measure(
            runs(),
            List.of(
                new Variant(baseline, () -> WorkerScenarios.worker(Map.of())),
                new Variant(
                    "JAVA_TOOL_OPTIONS=-XX:-UsePerfData",
                    () -> WorkerScenarios.worker(Map.of("JAVA_TOOL_OPTIONS", "-XX:-UsePerfData"))),
                new Variant(
                    "JAVA_TOOL_OPTIONS=-XX:+UnlockDiagnosticVMOptions"
                        + " -XX:-BytecodeVerificationRemote",
                    () ->
                        WorkerScenarios.worker(
                            Map.of(
                                "JAVA_TOOL_OPTIONS",
                                "-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote"))),
                new Variant(
                    "JAVA_TOOL_OPTIONS=-Xshare:off (no class data sharing)",
                    () -> WorkerScenarios.worker(Map.of("JAVA_TOOL_OPTIONS", "-Xshare:off"))),
                new Variant(
                    "SnapStart priming run during init (checkpoint + restore hooks)",
                    () -> WorkerScenarios.worker(primed, PRIMED, Map.of()))));
    ColdStarts.report(
        "backfill-worker: JVM options and priming",
        results,
        baseline,
        "cold-starts-backfill-worker-tuning.md");
  }

  @Test
  void givenTheSdksHttpClientsAndLazyClients_thenEachOnesCostIsReported() {
    String baseline = "url-connection (the functions')";
    List<ColdStarts.Result> results =
        ColdStarts.measure(
            runs(),
            List.of(
                probe(baseline, UrlConnectionHttpClients.class, false),
                probe("apache (HttpClient 4)", ApacheHttpClients.class, false),
                probe("apache5 (HttpClient 5)", Apache5HttpClients.class, false),
                probe("aws-crt (native)", CrtHttpClients.class, false),
                probe(
                    "url-connection, clients built on first use",
                    UrlConnectionHttpClients.class,
                    true),
                probe(
                    "url-connection, one HTTP client and credentials chain for all clients",
                    UrlConnectionHttpClients.class,
                    false,
                    true)));
    ColdStarts.report(
        "SDK clients probe, one call per client: HTTP clients and lazy clients",
        results,
        baseline,
        "cold-starts-http-clients.md");
  }

  private static Variant probe(String name, Class<?> httpClients, boolean lazy) {
    return probe(name, httpClients, lazy, false);
  }

  private static Variant probe(String name, Class<?> httpClients, boolean lazy, boolean shared) {
    return new Variant(
        name,
        () ->
            WorkerScenarios.probe(
                httpProbes,
                PROBE,
                "{}",
                Map.of(
                    "HELIX_PROBE_CALLS", "true",
                    "HELIX_PROBE_HTTP", httpClients.getName(),
                    "HELIX_PROBE_LAZY", Boolean.toString(lazy),
                    "HELIX_PROBE_SHARED", Boolean.toString(shared))));
  }

  private static int runs() {
    return Integer.getInteger("helix.coldStarts.tuningRuns", 3);
  }
}
