package com.helix.aggregation.testing;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.wiring.AggregationWiring;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;

/**
 * A worker in a process of its own, wired exactly as the CLI and the functions wire themselves
 * (configuration from the environment; DynamoDB lease when {@code HELIX_LEASE_TABLE} is set). It
 * reads {@code run yyyy-MM-dd} lines and answers {@code yyyy-MM-dd outcome} per line.
 */
public final class WorkerProcess {
  private WorkerProcess() {}

  public static void main(String[] args) throws Exception {
    HelixConfig config = HelixConfig.fromEnvironment();
    try (AggregationWiring wiring =
        new AggregationWiring(
            config,
            ConnectionFactory.fromUrl(
                config.databaseUrl().orElseThrow(), config.statementTimeout()),
            Clock.systemUTC(),
            new StopSignal(),
            AggregationWiring::configuredLeases)) {
      AggregateDayService service = wiring.aggregateDayService(Metrics.NONE, JobLog.NONE);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      System.out.println("ready");
      System.out.flush();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.startsWith("run ")) {
          break;
        }
        LocalDate day = LocalDate.parse(line.substring(4).trim());
        AttemptReport report =
            service.aggregate(
                day,
                Trigger.MANUAL,
                RunOptions.DEFAULT,
                "process-" + ProcessHandle.current().pid());
        System.out.println(day + " " + report.outcome().value());
        System.out.flush();
      }
    }
  }
}
