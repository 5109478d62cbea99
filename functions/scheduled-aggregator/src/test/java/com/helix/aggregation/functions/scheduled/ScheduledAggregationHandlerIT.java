package com.helix.aggregation.functions.scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.EnvironmentException;
import com.helix.aggregation.core.InvalidDayException;
import com.helix.aggregation.core.StopSignal;
import com.helix.aggregation.emf.EmfMetrics;
import com.helix.aggregation.log.JsonJobLog;
import com.helix.aggregation.postgres.PostgresAggregateStore;
import com.helix.aggregation.postgres.PostgresChangeLog;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.sqs.SqsBackfillQueue;
import com.helix.aggregation.testing.CapturedEmf;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.ManualClock;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PausePoint;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.QueuePoller;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.wiring.HelixWiring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The scheduled aggregator's real handler, in process, on the events/ fixtures, with a clock that
 * the scenario sets: 00:05 on 2026-11-28 for the day 2026-11-27, a delivery delayed or retried days
 * later, the hourly runs that follow, outages. Real PostgreSQL, moto's SQS for the queues.
 */
class ScheduledAggregationHandlerIT {
  private static final LocalDate D = LocalDate.of(2026, 11, 27);

  private TestDatabase db;
  private MotoFixture.BackfillQueues queues;
  private Map<String, String> env;
  private final ManualClock clock = ManualClock.at("2026-11-28T00:05:30Z");
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final CapturedEmf captured = new CapturedEmf();
  private final List<String> emf = captured.lines();

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(D.minusDays(20), 21, 400, 6);
    }
    queues = MotoFixture.createBackfillQueues();
    env = new HashMap<>(db.environment());
    env.putAll(queues.environment());
    env.put(HelixConfig.BATCH_DELAY_MS, "0");
  }

  @Test
  void givenTheDailyDelivery_thenYesterdayFirst_thenTheWindow_andTheEmfLinesAreValid()
      throws Exception {
    JsonNode response = invoke("events/scheduled-aggregator/daily-2026-11-28.json");

    assertThat(response.get("targetDay").asText()).isEqualTo(D.toString());
    assertThat(response.get("attempts").get(0).asText()).isEqualTo(D + " aggregated");
    DayChecks.assertComputedOnceAndExact(db, D.minusDays(6), D);
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates")).isEqualTo(7);
    assertThat(db.value("SELECT trigger FROM {schema}.job_runs WHERE day = ?", D))
        .isEqualTo("schedule");
    assertThat(db.value("SELECT trigger FROM {schema}.job_runs WHERE day = ?", D.minusDays(3)))
        .isEqualTo("catch-up");
    JsonNode lastSuccess = emfLineWith(EmfMetrics.LAST_SUCCESS);
    assertThat(lastSuccess.at("/_aws/CloudWatchMetrics/0/Namespace").asText())
        .isEqualTo("Helix/Aggregation");
    assertThat(lastSuccess.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText())
        .isEqualTo("Job");
    assertThat(lastSuccess.get("Job").asText()).isEqualTo("daily-aggregate");
    assertThat(metricUnit(lastSuccess, EmfMetrics.LAST_SUCCESS)).isEqualTo("Seconds");
    assertThat(lastSuccess.get("day").asText()).isEqualTo(D.toString());
    assertThat(emfLinesWith(EmfMetrics.LAST_SUCCESS)).as("only yesterday's attempt").hasSize(1);
    JsonNode age = emfLineWith(EmfMetrics.NEWEST_VERIFIED_AGE);
    assertThat(age.get(EmfMetrics.NEWEST_VERIFIED_AGE).asDouble()).isBetween(0.09, 0.1);
    assertThat(jobLog()).anyMatch(l -> l.contains("\"event\":\"job_started\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-28T02:30:00Z", "2026-11-30T00:07:00Z"})
  void givenADelayedOrRetriedDelivery_thenItStillAggregatesTheDayBeforeItsScheduledTime(
      String deliveredAt) throws Exception {
    clock.set(deliveredAt);

    JsonNode response = invoke("events/scheduled-aggregator/delayed-delivery.json");

    assertThat(response.get("targetDay").asText()).isEqualTo(D.toString());
    DayChecks.assertExact(db, D, D);
    assertThat(db.value("SELECT verification FROM {schema}.daily_aggregates WHERE day = ?", D))
        .isEqualTo("verified");
  }

  @Test
  void givenADuplicateDelivery_thenOneAggregate_andTheRepeatIsUnchanged() throws Exception {
    invoke("events/scheduled-aggregator/daily-2026-11-28.json");
    clock.advance(Duration.ofSeconds(20));

    JsonNode repeat = invoke("events/scheduled-aggregator/duplicate-delivery.json");

    assertThat(repeat.get("attempts").get(0).asText()).isEqualTo(D + " unchanged");
    DayChecks.assertComputedOnceAndExact(db, D.minusDays(6), D);
  }

  @Test
  void givenRecordsOfToday_thenNoScheduledRunWritesToday_andAnEmptyDayIsAVerifiedZero()
      throws Exception {
    db.insertRaw(90_000_001, "2026-11-28T00:01:00Z", "acct-1", "gpt-large", 1, 1, "1");
    db.execute(
        "DELETE FROM {raw} WHERE occurred_at >= '2026-11-24T00:00:00Z'"
            + " AND occurred_at < '2026-11-25T00:00:00Z'");

    invoke("events/scheduled-aggregator/daily-2026-11-28.json");
    clock.set("2026-11-28T00:35:10Z");
    invoke("events/scheduled-aggregator/hourly-2026-11-28.json");

    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE day >= ?", D.plusDays(1)))
        .isZero();
    assertThat(
            db.query(
                "SELECT record_count, cost_total, verification FROM {schema}.daily_aggregates"
                    + " WHERE day = '2026-11-24'"))
        .extracting(
            r -> r.get("record_count") + " " + r.get("cost_total") + " " + r.get("verification"))
        .containsExactly("0 0 verified");
  }

  @Test
  void givenAThreeDayOutage_thenOneDailyRunRestoresAllThree() throws Exception {
    invoke("events/scheduled-aggregator/daily-2026-11-28.json");
    // the next three deliveries never came; the fourth arrives
    clock.set("2026-12-02T00:05:20Z");

    JsonNode response = invoke(scheduledDaily("2026-12-02T00:05:00Z"));

    assertThat(response.get("targetDay").asText()).isEqualTo("2026-12-01");
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates WHERE day > ?", D))
        .isEqualTo(4);
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE verification = 'verified'"))
        .isEqualTo(11);
  }

  @Test
  void
      givenATenDayOutageAndLittleTime_thenTheRunDoesWhatFits_theQueueTheRest_andStatusShowsTheOlderGaps()
          throws Exception {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(D.plusDays(1), 10, 400, 7);
    }
    invoke("events/scheduled-aggregator/daily-2026-11-28.json");
    clock.set("2026-12-08T00:05:20Z");

    // too little time for any day after the target (the catch-up keeps 15 s back)
    JsonNode response = invoke(scheduledDaily("2026-12-08T00:05:00Z"), Duration.ofSeconds(10));

    assertThat(response.get("targetDay").asText()).isEqualTo("2026-12-07");
    String request = response.get("queuedAs").asText();
    assertThat(request).startsWith("catch-up-");
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.backfill_request_days WHERE request_id = ?",
                request))
        .isPositive();
    long beforeDrain = db.count("SELECT count(*) FROM {schema}.daily_aggregates WHERE day > ?", D);
    assertThat(beforeDrain).as("the target, inline; the six others queued").isEqualTo(1);
    drainTheBackfillQueue();
    DayChecks.assertExact(db, LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-07"));
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates WHERE day > ?", D))
        .isEqualTo(7);
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE day BETWEEN '2026-11-28' AND '2026-11-30'"))
        .as("older than the window: left for a manual backfill")
        .isZero();
  }

  @Test
  void
      givenADayFailingEveryAttempt_thenRetriedHourlyOnceDue_permanentlyFailedAfterThree_andInTheDlq()
          throws Exception {
    db.insertRaw(90_000_001, D + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(90_000_002, D + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");

    assertThatThrownBy(() -> invoke("events/scheduled-aggregator/daily-2026-11-28.json"))
        .isInstanceOf(ScheduledAggregationHandler.TargetDayFailedException.class);
    DayChecks.assertExact(db, D.minusDays(6), D.minusDays(1));
    // Lambda retries the failed invocation a minute later: the day's backoff has not elapsed
    clock.set("2026-11-28T00:06:40Z");
    assertThatThrownBy(() -> invoke("events/scheduled-aggregator/daily-2026-11-28.json"))
        .isInstanceOf(ScheduledAggregationHandler.TargetDayFailedException.class);
    assertThat(attemptsOf(D)).as("not tried again before its backoff").containsExactly("1 failed");

    clock.set("2026-11-28T00:35:10Z");
    assertThatThrownBy(() -> invoke(scheduledHourly("2026-11-28T00:35:00Z")))
        .isInstanceOf(ScheduledAggregationHandler.TargetDayFailedException.class);
    clock.set("2026-11-28T01:35:10Z");
    invokeExpectingFailure(scheduledHourly("2026-11-28T01:35:00Z"));

    assertThat(attemptsOf(D)).containsExactly("1 failed", "2 failed", "3 permanently-failed");
    List<Message> dead = QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl());
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).messageAttributes().get(SqsBackfillQueue.DAY).stringValue())
        .isEqualTo(D.toString());
    assertThat(
            emfLinesWith(EmfMetrics.DAYS_PERMANENTLY_FAILED).stream()
                .filter(l -> l.get(EmfMetrics.DAYS_PERMANENTLY_FAILED).asInt() == 1))
        .hasSize(1);
    clock.set("2026-11-28T02:35:10Z");
    invokeExpectingFailure(scheduledHourly("2026-11-28T02:35:00Z"));
    assertThat(attemptsOf(D)).as("a permanently failed day waits for an operator").hasSize(3);
  }

  @Test
  void givenTheDeadLetterSendFailsOnceTheDayFailedForGood_thenLambdasRetrySendsIt()
      throws Exception {
    db.insertRaw(90_000_001, D + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(90_000_002, D + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    invokeExpectingFailure("events/scheduled-aggregator/daily-2026-11-28.json");
    clock.set("2026-11-28T00:35:10Z");
    invokeExpectingFailure(scheduledHourly("2026-11-28T00:35:00Z"));
    clock.set("2026-11-28T01:35:10Z");
    // the third attempt fails the day for good, and the dead-letter queue is not there
    env.put(HelixConfig.BACKFILL_DLQ_URL, queues.deadLetterUrl().replace("-dlq", "-gone-dlq"));
    Context invocation = LambdaTestContext.of("helix-scheduled-aggregator", Duration.ofMinutes(15));

    assertThatThrownBy(() -> invoke(scheduledHourly("2026-11-28T01:35:00Z"), invocation))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("dead-letter queue");
    assertThat(attemptsOf(D)).containsExactly("1 failed", "2 failed", "3 permanently-failed");
    assertThat(QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl())).isEmpty();

    // Lambda retries the failed invocation a minute later, with the same request id
    env.putAll(queues.environment());
    clock.set("2026-11-28T01:36:20Z");
    assertThatThrownBy(() -> invoke(scheduledHourly("2026-11-28T01:35:00Z"), invocation))
        .isInstanceOf(ScheduledAggregationHandler.TargetDayFailedException.class);

    assertThat(attemptsOf(D)).as("not tried again").hasSize(3);
    List<Message> dead = QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl());
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).messageAttributes().get(SqsBackfillQueue.DAY).stringValue())
        .isEqualTo(D.toString());
    assertThat(dead.get(0).messageAttributes().get(SqsBackfillQueue.ATTEMPTS).stringValue())
        .isEqualTo("3");
    clock.set("2026-11-28T02:35:10Z");
    invokeExpectingFailure(scheduledHourly("2026-11-28T02:35:00Z"));
    assertThat(QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl()))
        .as("another request sends no second letter")
        .hasSize(1);
  }

  @Test
  void givenAConnectionDroppedInsideAnAttempt_thenRetried_andTheDayAggregated() throws Exception {
    HelixWiring wiring = wiring();
    ScheduledAggregationHandler handler =
        new ScheduledAggregationHandler(wiring.scheduledRuns(), clock);
    invoke(handler, "events/scheduled-aggregator/daily-2026-11-28.json", Duration.ofMinutes(15));
    long pid =
        wiring
            .aggregation()
            .database()
            .autocommit(
                c -> {
                  try (var rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    return rs.getLong(1);
                  }
                });
    db.terminateBackend(pid);
    db.insertRaw(90_000_003, D + "T03:00:00Z", "acct-late", "m", 1, 1, "2");
    clock.set("2026-11-28T00:35:10Z");

    JsonNode hourly =
        invoke(handler, scheduledDaily("2026-11-28T00:05:00Z"), Duration.ofMinutes(15));

    assertThat(hourly.get("attempts").get(0).asText()).isEqualTo(D + " aggregated");
    DayChecks.assertExact(db, D, D);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "events/eventbridge/scheduled-event.json",
        "events/eventbridge/scheduled-event-lambda-docs.json",
        "events/eventbridge/scheduled-event-samcli.json"
      })
  void givenAwsSampleScheduledEvents_thenReadAsDaily_andRefusedAsStale(String fixture) {
    assertThat(ScheduledEvents.read(resource(fixture)).mode())
        .isEqualTo(com.helix.aggregation.core.schedule.ScheduledRun.Mode.DAILY);

    assertThatThrownBy(() -> invoke(fixture))
        .isInstanceOf(InvalidDayException.class)
        .hasMessageContaining("is more than 72 hours old");
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "events/scheduled-aggregator/future.json|is in the future",
        "events/scheduled-aggregator/malformed.json|not a schedule's event: not JSON",
        "events/scheduled-aggregator/daily.json|invalid scheduledTime '<aws.scheduler.scheduled-time>'"
      })
  void givenABadEvent_thenRefusedInOneLine_andNothingWritten(String fixtureAndMessage) {
    String[] parts = fixtureAndMessage.split("\\|");

    assertThatThrownBy(() -> invoke(parts[0]))
        .isInstanceOf(InvalidDayException.class)
        .hasMessageContaining(parts[1]);
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
  }

  // --- change tracking (SPEC §3) ---

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void givenAnUnchangedWeek_thenWithTrackingTheNextDailyRunScansOnlyYesterday(boolean tracking)
      throws Exception {
    if (tracking) {
      trackChanges();
    }
    invoke("events/scheduled-aggregator/daily-2026-11-28.json");
    clock.set("2026-11-29T00:05:30Z");

    invoke(scheduledDaily("2026-11-29T00:05:00Z"));

    List<Map<String, Object>> second =
        db.query(
            "SELECT day, trigger, outcome FROM {schema}.job_runs WHERE day > ? OR (day > ? AND"
                + " outcome = 'unchanged') ORDER BY id",
            D,
            D.minusDays(6));
    assertThat(second.get(0))
        .containsEntry("trigger", "schedule")
        .containsEntry("outcome", "aggregated");
    assertThat(second.subList(1, second.size()))
        .as("the window's six days: confirmed by the log, or hashed again without it")
        .hasSize(tracking ? 0 : 6)
        .allSatisfy(r -> assertThat(r).containsEntry("outcome", "unchanged"));
  }

  @Test
  void givenACorrectionSixtyDaysBack_thenTheNextDailyRunReaggregatesIt_withHistory()
      throws Exception {
    LocalDate old = D.minusDays(60);
    trackChanges();
    db.insertRaw(90_000_001, old + "T10:00:00Z", "acct-1", "gpt-large", 10, 1, "0.10");
    db.insertRaw(90_000_002, old + "T11:00:00Z", "acct-2", "gpt-small", 20, 2, "0.20");
    invoke("events/scheduled-aggregator/daily-2026-11-28.json");
    assertThat(attemptsOf(old))
        .as("a new day of any age is logged too")
        .containsExactly("1 aggregated");

    db.execute("UPDATE {raw} SET cost_usd = 0.25 WHERE id = 90000002");
    clock.set("2026-11-29T00:05:30Z");
    JsonNode response = invoke(scheduledDaily("2026-11-29T00:05:00Z"));

    assertThat(attemptsOf(old)).containsExactly("1 aggregated", "1 aggregated");
    assertThat(response.get("attempts").toString()).contains(old + " aggregated");
    DayChecks.assertExact(db, old, old);
    assertThat(db.decimal("SELECT cost_total FROM {schema}.daily_aggregates WHERE day = ?", old))
        .isEqualByComparingTo("0.35");
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregate_history WHERE day = ?", old))
        .isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM {schema}.changed_days")).isZero();
  }

  @Test
  void givenAWriteBegunBeforeMidnightAndCommittedAfterTheDailyRun_thenTheNextHourlyRunHasIt()
      throws Exception {
    trackChanges();
    try (Connection writer = DriverManager.getConnection(db.url())) {
      writer.setAutoCommit(false);
      try (Statement s = writer.createStatement()) {
        // 23:59:59 on D, in a transaction still open when the daily run aggregates D
        s.execute(
            "INSERT INTO "
                + db.rawTable().quoted()
                + " (id, occurred_at, account_id, model, input_tokens, output_tokens, cost_usd)"
                + " VALUES (90000003, '"
                + D
                + "T23:59:59Z', 'acct-9', 'gpt-large', 5, 5, 9.99)");
      }
      invoke("events/scheduled-aggregator/daily-2026-11-28.json");
      writer.commit();
    }
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE day = ? AND record_count ="
                    + " (SELECT count(*) FROM {raw} WHERE occurred_at >= ? AND occurred_at < ?)",
                D,
                D.atStartOfDay().atOffset(java.time.ZoneOffset.UTC),
                D.plusDays(1).atStartOfDay().atOffset(java.time.ZoneOffset.UTC)))
        .as("the run did not see the uncommitted record")
        .isZero();

    clock.set("2026-11-28T00:35:10Z");
    invoke(scheduledHourly("2026-11-28T00:35:00Z"));

    assertThat(attemptsOf(D)).containsExactly("1 aggregated", "1 aggregated");
    DayChecks.assertExact(db, D, D);
  }

  @Test
  void givenAWriteCommittedWhileTheDailyRunAggregatedYesterday_thenTheNextHourlyRunVerifiesIt()
      throws Exception {
    // Without change tracking: only the verification sees the late record.
    try (PausePoint pause = PausePoint.hold(db, PausePoint.Where.INSIDE_TRANSACTION, "late")) {
      env.put(HelixConfig.DATABASE_URL, pause.url());
      CompletableFuture<JsonNode> daily =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return invoke("events/scheduled-aggregator/daily-2026-11-28.json");
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      pause.awaitPaused(Duration.ofSeconds(30));
      db.insertRaw(90000004, D + "T12:00:00Z", "acct-9", "gpt-large", 5, 5, "9.99");
      pause.release();
      daily.get(120, TimeUnit.SECONDS);
    }
    env.put(HelixConfig.DATABASE_URL, db.url());
    assertThat(attemptsOf(D)).containsExactly("1 aggregated");
    assertThat(db.query("SELECT verification FROM {schema}.daily_aggregates WHERE day = ?", D))
        .as("a mismatch over raw data that moved: unverified, not charged")
        .extracting(r -> r.get("verification"))
        .containsExactly("unverified");

    clock.set("2026-11-28T01:35:10Z");
    invoke(scheduledHourly("2026-11-28T01:35:00Z"));

    assertThat(attemptsOf(D)).containsExactly("1 aggregated", "1 aggregated");
    DayChecks.assertExact(db, D, D);
    assertThat(db.query("SELECT verification FROM {schema}.daily_aggregates WHERE day = ?", D))
        .extracting(r -> r.get("verification"))
        .containsExactly("verified");
  }

  @Test
  void givenTrackingEnabledAfterTheDaysWereAggregated_thenTheyAreHashed_evenWhenVerifiedAgain()
      throws Exception {
    invoke("events/scheduled-aggregator/daily-2026-11-28.json");
    trackChanges();
    // `helix verify` after tracking began compares totals only: it cannot vouch for the breakdown
    try (var session = db.open()) {
      PostgresAggregateStore store =
          new PostgresAggregateStore(session, db.schema(), db.rawTable());
      for (LocalDate day = D.minusDays(5); !day.isAfter(D); day = day.plusDays(1)) {
        assertThat(store.verify(day, BigDecimal.ZERO).passed()).isTrue();
      }
    }
    clock.set("2026-11-29T00:05:30Z");

    invoke(scheduledDaily("2026-11-29T00:05:00Z"));

    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.job_runs WHERE trigger = 'catch-up' AND outcome ="
                    + " 'unchanged'"))
        .as("aggregated before tracking began: the log cannot vouch for them")
        .isEqualTo(6);
  }

  // --- helpers ---

  private JsonNode invoke(String fixture) throws IOException {
    return invoke(fixture, Duration.ofMinutes(15));
  }

  private JsonNode invoke(String fixture, Duration remaining) throws IOException {
    return invoke(
        new ScheduledAggregationHandler(wiring().scheduledRuns(), clock), fixture, remaining);
  }

  private void invokeExpectingFailure(String fixture) {
    assertThatThrownBy(() -> invoke(fixture))
        .isInstanceOf(ScheduledAggregationHandler.TargetDayFailedException.class);
  }

  /** One invocation, by its context: Lambda's retries of it keep its request id. */
  private JsonNode invoke(String fixture, Context context) throws IOException {
    return invoke(
        new ScheduledAggregationHandler(wiring().scheduledRuns(), clock), fixture, context);
  }

  private JsonNode invoke(ScheduledAggregationHandler handler, String fixture, Duration remaining)
      throws IOException {
    return invoke(handler, fixture, LambdaTestContext.of("helix-scheduled-aggregator", remaining));
  }

  private JsonNode invoke(ScheduledAggregationHandler handler, String fixture, Context context)
      throws IOException {
    byte[] event =
        fixture.startsWith("{") ? fixture.getBytes(StandardCharsets.UTF_8) : resource(fixture);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, context);
    return new ObjectMapper().readTree(out.toByteArray());
  }

  /** The handler as a fresh execution environment builds it, on the scenario's clock. */
  private HelixWiring wiring() {
    HelixConfig config = HelixConfig.fromEnvironment(env);
    return new HelixWiring(
        config,
        HelixWiring.sessions(config),
        clock,
        new StopSignal(),
        new EmfMetrics(config.metricsNamespace(), captured),
        new JsonJobLog(new PrintStream(logged, true, StandardCharsets.UTF_8), clock));
  }

  private static String scheduledDaily(String time) {
    return "{\"mode\":\"daily\",\"scheduledTime\":\"" + time + "\",\"attempt\":\"1\"}";
  }

  private static String scheduledHourly(String time) {
    return "{\"mode\":\"hourly\",\"scheduledTime\":\"" + time + "\",\"attempt\":\"1\"}";
  }

  private void trackChanges() {
    try (var session = db.open()) {
      new PostgresChangeLog(session, db.schema(), db.rawTable()).enable();
    }
  }

  private List<String> attemptsOf(LocalDate day) {
    return db
        .query(
            "SELECT attempt, outcome FROM {schema}.job_runs WHERE day = ? AND outcome NOT IN"
                + " ('skipped-locked') ORDER BY id",
            day)
        .stream()
        .map(r -> r.get("attempt") + " " + r.get("outcome"))
        .toList();
  }

  private void drainTheBackfillQueue() {
    var worker =
        new com.helix.aggregation.functions.backfill.BackfillWorkerHandler(
            wiring().backfillWorker(), clock);
    new QueuePoller(
            MotoFixture.sqs(),
            queues.queueUrl(),
            e ->
                worker.handleRequest(
                    e, LambdaTestContext.of("helix-backfill-worker", Duration.ofMinutes(15))))
        .drain(Duration.ofSeconds(3), Duration.ofMinutes(5));
  }

  private List<JsonNode> emfLinesWith(String metric) {
    return emf.stream()
        .map(ScheduledAggregationHandlerIT::json)
        .filter(j -> j.has(metric))
        .toList();
  }

  private JsonNode emfLineWith(String metric) {
    List<JsonNode> lines = emfLinesWith(metric);
    assertThat(lines).as("an EMF line with " + metric + " in " + emf).isNotEmpty();
    return lines.get(0);
  }

  private static String metricUnit(JsonNode line, String metric) {
    for (JsonNode m : line.at("/_aws/CloudWatchMetrics/0/Metrics")) {
      if (m.get("Name").asText().equals(metric)) {
        return m.get("Unit").asText();
      }
    }
    throw new AssertionError(metric + " is not declared in " + line);
  }

  private List<String> jobLog() {
    return logged.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in =
        ScheduledAggregationHandlerIT.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
