package com.helix.aggregation.cli;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.AggregateDayService;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.BackfillService;
import com.helix.aggregation.core.BackfillSummary;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.DayRange;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Metrics;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RunOptions;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.core.UtcDay;
import com.helix.aggregation.postgres.ConnectionFactory;
import com.helix.aggregation.postgres.SchemaMigrations;
import com.helix.aggregation.postgres.SqlValues;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.wiring.AggregationWiring;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code helix demo}: the newcomer's first command. A throwaway embedded PostgreSQL, a few weeks of
 * generated usage, the scheduled run for yesterday, the rest of the range, one changed record
 * re-aggregated with its history while the other days stay unchanged, and the status table.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the whole job on a throwaway embedded PostgreSQL with generated data (no"
            + " configuration needed; HELIX_* variables are ignored).")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand HelixCommand cli;

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "Days of generated usage, ending yesterday (default: ${DEFAULT-VALUE}).")
  int days = 21;

  @Option(
      names = "--records-per-day",
      paramLabel = "N",
      description = "Generated usage records per day (default: ${DEFAULT-VALUE}).")
  int recordsPerDay = 5000;

  @Override
  public Integer call() throws Exception {
    if (days < 2 || days > 366) {
      throw new UsageException("--days must be between 2 and 366, got " + days);
    }
    if (recordsPerDay < 0 || recordsPerDay > 5_000_000) {
      throw new UsageException("--records-per-day must be between 0 and 5000000");
    }
    PrintStream out = cli.out;
    HelixConfig config = HelixConfig.fromEnvironment(Map.of());
    LocalDate yesterday = UtcDay.today(cli.clock).minusDays(1);
    LocalDate first = yesterday.minusDays(days - 1L);

    out.println("== Starting a throwaway embedded PostgreSQL");
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start()) {
      SchemaMigrations.migrateOwned(postgres.url(), config.schema());
      SchemaMigrations.migrateRaw(postgres.url(), config.rawTable());
      try (AggregationWiring wiring =
          new AggregationWiring(
              config,
              ConnectionFactory.fromUrl(postgres.url(), config.statementTimeout()),
              cli.clock,
              cli.stop,
              AggregationWiring::postgresLeases)) {
        AggregateDayService service = wiring.aggregateDayService(Metrics.NONE, JobLog.NONE);
        String request = "demo-" + UUID.randomUUID();

        long generated =
            new UsageGenerator(wiring.database(), config.rawTable())
                .generate(first, days, recordsPerDay, 42);
        out.printf(
            "   %,d usage records generated for %d days, %s .. %s%n%n",
            generated, days, first, yesterday);

        out.println("== The scheduled run (00:05 UTC) aggregates yesterday first");
        out.println(
            "   "
                + service
                    .aggregate(yesterday, Trigger.SCHEDULE, RunOptions.DEFAULT, request)
                    .summary());
        out.println();

        out.println("== The rest of the range: a local backfill, oldest first, throttled");
        BackfillService backfill = wiring.backfillService(Metrics.NONE, JobLog.NONE);
        BackfillSummary firstPass = backfill(backfill, first, yesterday, out);
        out.println();

        LocalDate changedDay = first.plusDays(3);
        BigDecimal delta = new BigDecimal("1.2345");
        long changedId = changeOneRecord(wiring, changedDay, delta);
        out.printf(
            "== Late correction: record %d of %s gets %s USD more; the backfill runs again%n",
            changedId, changedDay, delta.toPlainString());
        BackfillSummary secondPass = backfill(backfill, first, yesterday, out);
        DailyAggregate changed = wiring.store().find(changedDay).orElseThrow();
        out.printf(
            "   only the changed day was recomputed: %s is now revision %d: cost %s (was %s, kept in daily_aggregate_history)%n%n",
            changedDay,
            changed.revision(),
            changed.totals().cost().toPlainString(),
            historyCost(wiring, changedDay).toPlainString());

        out.println("== helix status");
        StatusReport.collect(wiring, days).render(out);
        boolean ok =
            firstPass.succeeded()
                && changed.revision() == 2
                && secondPass.outcomes().getOrDefault(Outcome.AGGREGATED, 0) == 1
                && secondPass.outcomes().getOrDefault(Outcome.UNCHANGED, 0) == days - 1;
        return ok ? CliErrors.OK : CliErrors.FAILURE;
      }
    }
  }

  private static BackfillSummary backfill(
      BackfillService backfill, LocalDate from, LocalDate to, PrintStream out) {
    BackfillRequest request =
        new BackfillRequest(
            new DayRange(from, to), false, false, false, "demo-" + UUID.randomUUID());
    BackfillProgressDisplay display = BackfillProgressDisplay.forConsole(out, false, "   ");
    BackfillSummary summary = backfill.run(request, display);
    display.finish();
    out.println("   " + describe(summary.outcomes()));
    return summary;
  }

  private static String describe(Map<Outcome, Integer> outcomes) {
    StringBuilder text = new StringBuilder();
    outcomes.forEach(
        (outcome, count) ->
            text.append(text.length() == 0 ? "" : ", ")
                .append(count)
                .append(' ')
                .append(outcome.value()));
    return text.toString();
  }

  private static long changeOneRecord(AggregationWiring wiring, LocalDate day, BigDecimal delta) {
    String raw = wiring.config().rawTable().quoted();
    return wiring
        .database()
        .autocommit(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE "
                          + raw
                          + " SET cost_usd = cost_usd + ? WHERE id = (SELECT min(id) FROM "
                          + raw
                          + " WHERE occurred_at >= ? AND occurred_at < ?) RETURNING id")) {
                ps.setBigDecimal(1, delta);
                SqlValues.bindDayRange(ps, 2, day);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              }
            });
  }

  private static BigDecimal historyCost(AggregationWiring wiring, LocalDate day) {
    String history = TableName.quote(wiring.config().schema()) + ".daily_aggregate_history";
    return wiring
        .database()
        .autocommit(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT cost_total FROM " + history + " WHERE day = ? AND revision = 1")) {
                ps.setObject(1, day);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getBigDecimal(1);
                }
              }
            });
  }
}
