package com.helix.aggregation.functions.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.DayRange;
import com.helix.aggregation.core.EnvironmentException;
import com.helix.aggregation.sample.UsageGenerator;
import com.helix.aggregation.sqs.SqsBackfillQueue;
import com.helix.aggregation.testing.DayChecks;
import com.helix.aggregation.testing.LambdaTestContext;
import com.helix.aggregation.testing.MotoFixture;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.QueuePoller;
import com.helix.aggregation.testing.TestDatabase;
import com.helix.aggregation.wiring.HelixWiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The backfill worker's real handler, in process, on the {@code events/} fixtures (loaded as the
 * Lambda Java runtime loads them, by aws-lambda-java-tests) and AWS's own sample SQS events,
 * against real PostgreSQL and moto's SQS.
 */
class BackfillWorkerHandlerIT {
  private static final LocalDate FIRST = LocalDate.of(2025, 10, 1);

  private TestDatabase db;
  private MotoFixture.BackfillQueues queues;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.freshDatabase();
    try (var session = db.open()) {
      new UsageGenerator(session, db.rawTable()).generate(FIRST, 4, 800, 9);
    }
    queues = MotoFixture.createBackfillQueues();
    env = new HashMap<>(db.environment());
    env.putAll(queues.environment());
    env.put(HelixConfig.BATCH_DELAY_MS, "0");
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/one-day.json", type = SQSEvent.class)
  void givenOneDay_thenAggregatedAndVerified_andAcknowledged(SQSEvent event) {
    SQSBatchResponse response = handle(event);

    assertThat(response.getBatchItemFailures()).isEmpty();
    DayChecks.assertComputedOnceAndExact(db, FIRST, FIRST);
    assertThat(db.value("SELECT trigger FROM {schema}.job_runs")).isEqualTo("backfill");
    assertThat(db.value("SELECT request_id FROM {schema}.job_runs"))
        .isEqualTo("backfill-fixture-one-day");
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/batch-of-three.json", type = SQSEvent.class)
  void givenABatchOfThree_thenEachDayInTurn(SQSEvent event) {
    SQSBatchResponse response = handle(event);

    assertThat(response.getBatchItemFailures()).isEmpty();
    DayChecks.assertComputedOnceAndExact(db, FIRST, FIRST.plusDays(2));
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/poison.json", type = SQSEvent.class)
  void givenAPoisonBody_thenItGoesToTheDlqAtOnceWithItsReason_andIsAcknowledged(SQSEvent event) {
    SQSBatchResponse response = handle(event);

    assertThat(response.getBatchItemFailures()).isEmpty();
    List<Message> dead = QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl());
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).body()).isEqualTo(event.getRecords().get(0).getBody());
    assertThat(dead.get(0).messageAttributes().get(SqsBackfillQueue.REASON).stringValue())
        .isEqualTo(
            "unknown field 'date' (a backfill message has day, requestId, force and"
                + " includeToday)");
    assertThat(dead.get(0).messageAttributes().get(SqsBackfillQueue.ERROR_CLASS).stringValue())
        .isEqualTo("PoisonMessage");
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
  }

  @ParameterizedTest
  @Events(
      events = {
        @Event("events/sqs/sqs-event-fifo.json"),
        @Event("events/sqs/sqs-event-standard-2-records.json"),
        @Event("events/sqs/sqs-event-message-attributes.json")
      },
      type = SQSEvent.class)
  void givenAwsSampleEvents_thenEveryRecordIsPoison_andNothingRuns(SQSEvent event) {
    SQSBatchResponse response = handle(event);

    assertThat(response.getBatchItemFailures()).isEmpty();
    List<Message> dead = QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl());
    assertThat(dead).hasSize(event.getRecords().size());
    assertThat(dead)
        .allSatisfy(
            m ->
                assertThat(m.messageAttributes().get(SqsBackfillQueue.REASON).stringValue())
                    .startsWith("not a backfill message: "));
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/cancelled-request.json", type = SQSEvent.class)
  void givenACancelledRequest_thenItsDayIsAcknowledgedUnrun(SQSEvent event) {
    HelixWiring wiring = HelixWiring.fromEnvironment(env, Clock.systemUTC());
    LocalDate day = LocalDate.of(2025, 10, 4);
    wiring
        .requests()
        .submitted(
            new BackfillRequest(
                new DayRange(day, day), false, false, false, "backfill-fixture-cancelled"),
            "cli",
            List.of(day),
            Instant.now());
    wiring.queuedBackfills().cancel("backfill-fixture-cancelled");

    SQSBatchResponse response = handle(event);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(db.count("SELECT count(*) FROM {schema}.daily_aggregates")).isZero();
    assertThat(db.value("SELECT status FROM {schema}.backfill_request_days"))
        .isEqualTo("cancelled");
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/one-day.json", type = SQSEvent.class)
  void givenADayThatFailsEveryAttempt_thenPermanentlyFailedWithinTheInvocation_andDeadLettered(
      SQSEvent event) {
    // input tokens that overflow bigint when summed: every attempt of the day fails
    db.insertRaw(9_000_001, FIRST + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(9_000_002, FIRST + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");

    SQSBatchResponse response = handle(event);

    assertThat(response.getBatchItemFailures()).as("acknowledged: the DLQ holds it").isEmpty();
    assertThat(db.query("SELECT attempt, outcome FROM {schema}.job_runs ORDER BY id"))
        .extracting(r -> r.get("attempt") + " " + r.get("outcome"))
        .containsExactly("1 failed", "2 failed", "3 permanently-failed");
    theOneDeadLetter();
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/one-day.json", type = SQSEvent.class)
  void givenTheDeadLetterSendFailsOnceTheDayFailedForGood_thenItsRedeliveryDeadLettersIt_untried(
      SQSEvent event) {
    db.insertRaw(9_000_001, FIRST + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(9_000_002, FIRST + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    // the first delivery's send is refused: the dead-letter queue is not there
    env.put(HelixConfig.BACKFILL_DLQ_URL, queues.deadLetterUrl().replace("-dlq", "-gone-dlq"));

    assertThatThrownBy(() -> handle(event))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("dead-letter queue");
    assertThat(attempts()).containsExactly("1 failed", "2 failed", "3 permanently-failed");
    assertThat(QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl())).isEmpty();

    env.putAll(queues.environment());
    SQSBatchResponse again = handle(event); // SQS delivers the same message again

    assertThat(again.getBatchItemFailures()).as("acknowledged: the DLQ holds it").isEmpty();
    assertThat(attempts()).as("not tried again").hasSize(3);
    assertThat(theOneDeadLetter().get(SqsBackfillQueue.REQUEST_ID).stringValue())
        .isEqualTo("backfill-fixture-one-day");
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/one-day.json", type = SQSEvent.class)
  void givenADayAnotherRequestFailedForGood_thenAcknowledged_withoutASecondLetter(SQSEvent event) {
    db.insertRaw(9_000_001, FIRST + "T01:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    db.insertRaw(9_000_002, FIRST + "T02:00:00Z", "acct-x", "m", Long.MAX_VALUE, 1, "1");
    assertThat(handle(event).getBatchItemFailures()).isEmpty();
    SQSEvent.SQSMessage message = event.getRecords().get(0);
    message.setMessageId("another-message");
    message.setBody(message.getBody().replace("backfill-fixture-one-day", "backfill-later"));

    assertThat(handle(event).getBatchItemFailures()).isEmpty();

    assertThat(attempts()).hasSize(3);
    assertThat(QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl())).hasSize(1);
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/one-day.json", type = SQSEvent.class)
  void givenAWrongRawTable_thenTheInvocationFails_andNoDayIsCharged(SQSEvent event) {
    env.put(HelixConfig.RAW_TABLE, "no_such_table");

    assertThatThrownBy(() -> handle(event))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("raw table no_such_table does not exist");
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
    assertThat(db.count("SELECT count(*) FROM {schema}.day_states")).isZero();
  }

  @ParameterizedTest
  @Event(value = "events/backfill-worker/one-day.json", type = SQSEvent.class)
  void givenTooLittleTimeLeft_thenTheDayIsDeliveredAgain_untried(SQSEvent event) {
    SQSBatchResponse response =
        handler()
            .handleRequest(
                event, LambdaTestContext.of("helix-backfill-worker", Duration.ofSeconds(20)));

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly(event.getRecords().get(0).getMessageId());
    assertThat(db.count("SELECT count(*) FROM {schema}.job_runs")).isZero();
  }

  private List<String> attempts() {
    return db.query("SELECT attempt, outcome FROM {schema}.job_runs ORDER BY id").stream()
        .map(r -> r.get("attempt") + " " + r.get("outcome"))
        .toList();
  }

  /**
   * The dead-letter queue holds one letter, the fixture's day failed for good after three attempts
   * with its reason; returns its attributes.
   */
  private Map<String, MessageAttributeValue> theOneDeadLetter() {
    List<Message> dead = QueuePoller.peek(MotoFixture.sqs(), queues.deadLetterUrl());
    assertThat(dead).hasSize(1);
    Map<String, MessageAttributeValue> letter = dead.get(0).messageAttributes();
    assertThat(letter.get(SqsBackfillQueue.DAY).stringValue()).isEqualTo(FIRST.toString());
    assertThat(letter.get(SqsBackfillQueue.ATTEMPTS).stringValue()).isEqualTo("3");
    assertThat(letter.get(SqsBackfillQueue.REASON).stringValue()).contains("out of range");
    return letter;
  }

  private SQSBatchResponse handle(SQSEvent event) {
    return handler()
        .handleRequest(
            event, LambdaTestContext.of("helix-backfill-worker", Duration.ofMinutes(15)));
  }

  /** The handler as a fresh execution environment builds it, configured by {@link #env}. */
  private BackfillWorkerHandler handler() {
    return new BackfillWorkerHandler(
        HelixWiring.fromEnvironment(env, Clock.systemUTC()).backfillWorker(), Clock.systemUTC());
  }
}
