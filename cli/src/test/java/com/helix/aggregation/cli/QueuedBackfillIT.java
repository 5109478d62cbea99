package com.helix.aggregation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.queue.BackfillMessage;
import com.helix.aggregation.functions.backfill.BackfillWorkerHandler;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.sqs.BackfillMessages;
import com.helix.aggregation.sqs.SqsBackfillQueue;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.LossyProxy;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.QueuePoller;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.wiring.HelixWiring;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The queue-driven backfill end to end (issue 9): {@code helix backfill} sends one message per day
 * to a FIFO queue in moto; a poller feeds them to the worker's real handler as Lambda's SQS event
 * source would (receive, build the event, delete what the partial batch response did not name); the
 * dead-letter queue, {@code --cancel}, {@code --wait} and {@code helix dlq} work on the same
 * queues.
 */
class QueuedBackfillIT {
  private static final LocalDate FIRST = LocalDate.of(2024, 1, 1);

  private TestDatabase db;
  private MotoFixture.BackfillQueues queues;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    queues = MotoFixture.createBackfillQueues();
    env = new HashMap<>(db.environment());
    env.putAll(queues.environment());
    env.put(HelixConfig.BATCH_DELAY_MS, "0");
  }

  @Test
  void givenAYearEnqueued_thenTwoPollersDrainItOneDayAtATime_eachDayVerifiedExactlyOnce()
      throws Exception {
    LocalDate last = FIRST.plusDays(364);
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 365, 200, 3);
    }

    CliRun submitted =
        CliRun.of(env, "backfill", "--from", FIRST.toString(), "--to", last.toString());

    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    assertThat(submitted.out())
        .contains("365 day(s) 2024-01-01..2024-12-30 sent to SQS queue")
        .contains("Follow it: helix backfill --follow backfill-");
    assertThat(waiting()).isEqualTo(365);
    // Two pollers at once, as the event source's two concurrent invocations would be: the FIFO
    // queue's one message group keeps one day in flight, so they never run two days together.
    List<CompletableFuture<Integer>> pollers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      pollers.add(CompletableFuture.supplyAsync(() -> drain(Duration.ofSeconds(5))));
    }
    int invocations = 0;
    for (CompletableFuture<Integer> poller : pollers) {
      invocations += poller.get(10, TimeUnit.MINUTES);
    }

    assertThat(invocations).isEqualTo(365);
    DayChecks.assertComputedOnceAndExact(db, FIRST, last);
    assertThat(overlappingAttempts()).as("two days' attempts running at once").isZero();
    String requestId = requestIdIn(submitted.out());
    CliRun followed = CliRun.of(env, "backfill", "--follow", requestId);
    assertThat(followed.exitCode()).isZero();
    assertThat(followed.out()).contains("Aggregated 365/365 days").contains("365 aggregated");
  }

  @Test
  void givenPoisonBetweenTwoGoodDays_thenBothGoodDaysDone_andThePoisonInTheDlqOnce() {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 2, 300, 5);
    }
    SqsClient sqs = MotoFixture.sqs();
    send(sqs, "{\"day\":\"2024-01-01\",\"requestId\":\"r1\"}", "a");
    send(sqs, "Test message.", "b"); // the body of AWS's sample SQS event
    send(sqs, "{\"day\":\"2024-01-02\",\"requestId\":\"r1\",\"extra\":1}", "c");
    send(sqs, "{\"day\":\"2024-01-02\",\"requestId\":\"r1\"}", "d");

    drain(Duration.ofSeconds(3));

    DayChecks.assertComputedOnceAndExact(db, FIRST, FIRST.plusDays(1));
    List<Message> dead = QueuePoller.peek(sqs, queues.deadLetterUrl());
    assertThat(dead)
        .extracting(m -> m.messageAttributes().get(SqsBackfillQueue.REASON).stringValue())
        .containsExactlyInAnyOrder(
            "not a backfill message: Unrecognized token 'Test': was expecting (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false')",
            "unknown field 'extra' (a backfill message has day, requestId, force and"
                + " includeToday)");
    CliRun list = CliRun.of(env, "dlq", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("(poison)")
        .contains("unknown field 'extra'")
        .contains("2 dead letter(s)");
    assertThat(list.out()).doesNotContain("\tat ");
  }

  @Test
  void givenADaySqsMovedToTheDlqAfterMaxReceiveCount_thenListedAsThatDay_andRedriveRunsIt() {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 1, 300, 5);
    }
    SqsClient sqs = MotoFixture.sqs();
    send(
        sqs,
        BackfillMessages.encode(new BackfillMessage(FIRST, "backfill-outage", false, false)),
        "a");
    send(sqs, "Test message.", "b");
    // Every invocation failed on the environment (a long outage): received, never deleted, until
    // the redrive policy moves the messages as they are, without any attribute of the worker's.
    for (int receive = 0; receive < 20 && waiting() + inFlight() > 0; receive++) {
      sqs.receiveMessage(
          r ->
              r.queueUrl(queues.queueUrl())
                  .maxNumberOfMessages(10)
                  .visibilityTimeout(0)
                  .waitTimeSeconds(0));
    }
    List<Message> moved = QueuePoller.peek(sqs, queues.deadLetterUrl());
    assertThat(moved).hasSize(2);
    assertThat(moved).allSatisfy(m -> assertThat(m.messageAttributes()).isEmpty());

    CliRun list = CliRun.of(env, "dlq", "list");

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines().filter(l -> l.contains(FIRST.toString())))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("backfill-outage")
        .contains("maxReceiveCount")
        .doesNotContain("(poison)");
    assertThat(list.out().lines().filter(l -> l.contains("(poison)")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("not a backfill message");
    assertThat(list.out()).contains("2 dead letter(s)");

    CliRun redrive = CliRun.of(env, "dlq", "redrive");

    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    assertThat(redrive.out()).contains("Redrove 1 day(s) [" + FIRST + "]");
    drain(Duration.ofSeconds(3));
    DayChecks.assertExact(db, FIRST, FIRST);
    assertThat(QueuePoller.peek(sqs, queues.deadLetterUrl()))
        .as("only the poison is left")
        .extracting(Message::body)
        .containsExactly("Test message.");
  }

  @Test
  void
      givenADayFailingEveryAttempt_thenInTheDlqAndPermanentlyFailed_theRestDone_andRedriveHealsIt() {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 5, 300, 5);
    }
    LocalDate bad = FIRST.plusDays(1);
    db.insertRaw(9_000_001, bad + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(9_000_002, bad + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");

    assertThat(backfill(FIRST, FIRST.plusDays(4)).exitCode()).isZero();
    drain(Duration.ofSeconds(3));

    assertThat(
            db.value(
                "SELECT permanently_failed_at IS NOT NULL FROM {schema}.day_states WHERE day = ?",
                bad))
        .isEqualTo(true);
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs WHERE day = ?", bad)).isEqualTo(3);
    DayChecks.assertExact(db, FIRST, FIRST);
    DayChecks.assertExact(db, FIRST.plusDays(2), FIRST.plusDays(4));
    CliRun listed = CliRun.of(env, "dlq", "list");
    assertThat(listed.out())
        .contains(bad.toString())
        .contains("out of range")
        .contains("1 dead letter(s)");
    CliRun status = CliRun.of(env, "status");
    assertThat(status.out()).contains("dead-letter queue: 1");

    db.execute("DELETE FROM {raw} WHERE account_id = 'acct-x'");
    CliRun redrive = CliRun.of(env, "dlq", "redrive");
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    assertThat(redrive.out()).contains("Redrove 1 day(s) [" + bad + "]");
    drain(Duration.ofSeconds(3));

    DayChecks.assertExact(db, FIRST, FIRST.plusDays(4));
    assertThat(db.value("SELECT verification FROM {schema}.daily_aggregates WHERE day = ?", bad))
        .isEqualTo("verified");
    assertThat(QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl())).isEmpty();
  }

  @Test
  void
      givenTheSameRangeTwiceWhileTheFirstRuns_thenNoDayCountedTwice_andTheRepeatCostsOneCheckADay() {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 10, 300, 5);
    }
    LocalDate last = FIRST.plusDays(9);

    assertThat(backfill(FIRST, last).exitCode()).isZero();
    drainSome(3);
    assertThat(backfill(FIRST, last).exitCode()).isZero();
    drain(Duration.ofSeconds(3));

    DayChecks.assertComputedOnceAndExact(db, FIRST, last);
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs WHERE outcome = 'aggregated'"))
        .isEqualTo(10);
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs WHERE outcome = 'unchanged'"))
        .isEqualTo(10);
  }

  @Test
  void givenASendWhoseAnswerIsLost_thenTheSdksRetryDoesNotDuplicateAMessage() {
    try (LossyProxy proxy = new LossyProxy(URI.create(MotoFixture.endpoint()).getPort());
        SqsClient lossy =
            SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(proxy.endpoint()))
                .build()) {
      HelixWiring wiring = HelixWiring.fromEnvironment(env, Clock.systemUTC());
      SqsBackfillQueue queue =
          new SqsBackfillQueue(lossy, queues.queueUrl(), Optional.of(queues.deadLetterUrl()));
      proxy.dropNextResponse();

      queue.enqueue(
          FIRST
              .datesUntil(FIRST.plusDays(7))
              .map(d -> new BackfillMessage(d, "backfill-lossy", false, false))
              .toList());

      assertThat(proxy.dropped()).as("the first answer was lost").isTrue();
      assertThat(waiting()).isEqualTo(7);
      assertThat(wiring.config().backfillQueueUrl()).contains(queues.queueUrl());
    }
  }

  @Test
  void givenTwoRequests_whenOneIsCancelled_thenOnlyItsRemainingDaysAreSkipped() {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 20, 300, 5);
    }
    CliRun a = backfill(FIRST, FIRST.plusDays(9));
    CliRun b = backfill(FIRST.plusDays(10), FIRST.plusDays(19));
    drainSome(2);

    CliRun cancel = CliRun.of(env, "backfill", "--cancel", requestIdIn(a.out()));
    drain(Duration.ofSeconds(3));

    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("8 day(s) not yet run");
    assertThat(
            db.count(
                "SELECT count(*) FROM {schema}.daily_aggregates WHERE day < ?", FIRST.plusDays(10)))
        .isEqualTo(2);
    DayChecks.assertComputedOnceAndExact(db, FIRST.plusDays(10), FIRST.plusDays(19));
    CliRun followA = CliRun.of(env, "backfill", "--follow", requestIdIn(a.out()));
    CliRun followB = CliRun.of(env, "backfill", "--follow", requestIdIn(b.out()));
    assertThat(followA.exitCode()).isEqualTo(1);
    assertThat(followA.out()).contains("8 cancelled").contains("Cancelled at");
    assertThat(followB.exitCode()).isZero();
  }

  @Test
  void givenWait_thenItShowsProgress_andExitsAsALocalBackfillWould() throws Exception {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 6, 300, 5);
    }
    db.insertRaw(
        9_000_001, FIRST.plusDays(5) + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(
        9_000_002, FIRST.plusDays(5) + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    CompletableFuture<CliRun> good =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    env,
                    "backfill",
                    "--from",
                    FIRST.toString(),
                    "--to",
                    FIRST.plusDays(4).toString(),
                    "--wait"));
    awaitQueued(5);
    drain(Duration.ofSeconds(3));
    CliRun waited = good.get(2, TimeUnit.MINUTES);

    assertThat(waited.exitCode()).as(waited.out() + waited.err()).isZero();
    assertThat(waited.out()).contains("Aggregated 5/5 days").contains("5 aggregated");

    CompletableFuture<CliRun> bad =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    env,
                    "backfill",
                    "--from",
                    FIRST.plusDays(5).toString(),
                    "--to",
                    FIRST.plusDays(5).toString(),
                    "--wait"));
    awaitQueued(1);
    drain(Duration.ofSeconds(3));
    CliRun failed = bad.get(2, TimeUnit.MINUTES);
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out()).contains("1 permanently-failed").contains("helix dlq redrive");
  }

  @Test
  void givenInvoke_thenTheWorkerRunsAFixture_andBadInvocationsAreOneLine() {
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(LocalDate.of(2025, 10, 1), 1, 300, 5);
    }
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.putAll(MotoFixture.environment());
    Path fixture = root().resolve("events/backfill-worker/one-day.json");

    try (HelixProcess invoke =
        HelixProcess.start(
            processEnv, "invoke", "backfill-worker", "--event", fixture.toString())) {
      assertThat(invoke.waitFor(120)).as(invoke.out() + invoke.err()).isZero();
      assertThat(invoke.out()).contains("\"batchItemFailures\" : [ ]");
    }
    DayChecks.assertComputedOnceAndExact(db, LocalDate.of(2025, 10, 1), LocalDate.of(2025, 10, 1));

    CliRun unknown = CliRun.of(env, "invoke", "no-such-function", "--event", fixture.toString());
    CliRun missing = CliRun.of(env, "invoke", "backfill-worker", "--event", "no/such/file.json");
    assertThat(unknown.exitCode()).isEqualTo(2);
    unknown.assertOneLineError("unknown function 'no-such-function' (known: ");
    assertThat(missing.exitCode()).isEqualTo(2);
    missing.assertOneLineError("event file no/such/file.json does not exist");
    Path notAnEvent = root().resolve("README.md");
    CliRun bad = CliRun.of(env, "invoke", "backfill-worker", "--event", notAnEvent.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    bad.assertOneLineError("is not a SQSEvent");
  }

  // --- helpers ---

  private CliRun backfill(LocalDate from, LocalDate to) {
    return CliRun.of(env, "backfill", "--from", from.toString(), "--to", to.toString());
  }

  /** Drains the queue with the worker's real handler; returns the invocations. */
  private int drain(Duration quiet) {
    QueuePoller poller = poller();
    poller.drain(quiet, Duration.ofMinutes(10));
    return poller.invocations();
  }

  /** Runs {@code days} invocations only. */
  private void drainSome(int days) {
    QueuePoller poller = poller();
    for (int i = 0; i < days; i++) {
      assertThat(poller.pollOnce(300)).isTrue();
    }
  }

  private QueuePoller poller() {
    BackfillWorkerHandler handler =
        new BackfillWorkerHandler(
            HelixWiring.fromEnvironment(env, Clock.systemUTC()).backfillWorker(),
            Clock.systemUTC());
    return new QueuePoller(
        MotoFixture.sqs(),
        queues.queueUrl(),
        (SQSEvent event) ->
            handler.handleRequest(
                event, LambdaTestContext.of("helix-backfill-worker", Duration.ofMinutes(15))));
  }

  private void send(SqsClient sqs, String body, String dedup) {
    sqs.sendMessage(
        m ->
            m.queueUrl(queues.queueUrl())
                .messageBody(body)
                .messageGroupId(SqsBackfillQueue.GROUP)
                .messageDeduplicationId(dedup));
  }

  private void awaitQueued(int days) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (waiting() < days) {
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
      try {
        Thread.sleep(50); // moto serves one request at a time: leave it to the command too
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Messages waiting on the backfill queue (one group: receiving them would hide the rest). */
  private long waiting() {
    return Long.parseLong(
        MotoFixture.sqs()
            .getQueueAttributes(
                a ->
                    a.queueUrl(queues.queueUrl())
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /** Messages of the backfill queue received and not yet visible again. */
  private long inFlight() {
    return Long.parseLong(
        MotoFixture.sqs()
            .getQueueAttributes(
                a ->
                    a.queueUrl(queues.queueUrl())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Backfill attempts of different days whose [started, finished] intervals overlap. */
  private long overlappingAttempts() {
    return db.count(
        "SELECT count(*) FROM {schema}.job_runs a JOIN {schema}.job_runs b"
            + " ON a.id < b.id AND a.day <> b.day"
            + " AND a.started_at < b.finished_at AND b.started_at < a.finished_at");
  }

  private static String requestIdIn(String out) {
    Matcher m = Pattern.compile("(backfill-[0-9a-f-]{36})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  private static Path root() {
    return Path.of(System.getProperty("helix.root", ".."));
  }
}
