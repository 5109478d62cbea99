package com.helix.aggregation.infra;

import static com.helix.aggregation.infra.AlarmEvaluation.State.ALARM;
import static com.helix.aggregation.infra.AlarmEvaluation.State.INSUFFICIENT_DATA;
import static com.helix.aggregation.infra.AlarmEvaluation.State.OK;
import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.infra.AlarmEvaluation.Datapoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stale alarm (SPEC §8) evaluated from the template's own period, expression, evaluation
 * periods, datapoints to alarm and missing-data setting, by {@link AlarmEvaluation}: it must stay
 * OK while yesterday is verified every day, and page on silence, including on a stack that never
 * had a success.
 */
class StaleAlarmEvaluationTest {
  private static final Instant DAY_0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private final AlarmEvaluation stale =
      AlarmEvaluation.of(Template.parse().resource("YesterdayNotVerifiedAlarm"));

  @Test
  void givenASuccessEveryDayAt0007_thenOkAtEveryMinuteFromTheFirstSuccessOn() {
    List<Datapoint> successes = new ArrayList<>();
    for (int day = 0; day < 30; day++) {
      successes.add(success(DAY_0.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(7))));
    }

    assertThat(statesBetween(successes, DAY_0.plus(HOUR), DAY_0.plus(Duration.ofDays(30))))
        .containsOnly(OK);
  }

  @Test
  void givenDailyRunsFixedByTheHourlyRetryAt0137OrDelayedTo0230_thenStillOk() {
    List<Datapoint> successes = new ArrayList<>();
    for (int day = 0; day < 30; day++) {
      Instant midnight = DAY_0.plus(Duration.ofDays(day));
      // every third day the 00:05 run fails and the 01:35 retry verifies yesterday; once a week
      // the delivery itself is retried by the scheduler until 02:30
      Duration at =
          day % 7 == 3
              ? Duration.ofMinutes(150)
              : day % 3 == 1 ? Duration.ofMinutes(97) : Duration.ofMinutes(7);
      successes.add(success(midnight.plus(at)));
    }

    assertThat(statesBetween(successes, DAY_0.plus(HOUR), DAY_0.plus(Duration.ofDays(30))))
        .containsOnly(OK);
  }

  @Test
  void givenYesterdayVerifiedOnlyByThe2335HourlyRun_thenTheAlarmHadFiredThatNight() {
    Instant success = DAY_0.plus(Duration.ofMinutes(7));
    Instant late = DAY_0.plus(Duration.ofDays(1)).plus(Duration.ofHours(23)).plusSeconds(36 * 60);
    List<Datapoint> successes = List.of(success(success), success(late));

    assertThat(stale.evaluate(successes, late)).isEqualTo(ALARM);
    assertThat(stale.evaluate(successes, late.plus(HOUR))).isEqualTo(OK);
  }

  @Test
  void givenALastSuccessAndNothingSince_thenAlarmOnce26WholeHoursPassedWithout_within26To27h() {
    for (int minute : new int[] {0, 7, 35, 59}) {
      Instant last = DAY_0.plus(Duration.ofMinutes(minute));
      List<Datapoint> successes = List.of(success(last.minus(Duration.ofDays(1))), success(last));

      Instant firstAlarm = firstAlarmAfter(successes, last);

      assertThat(Duration.between(last, firstAlarm))
          .as("last success at 00:%02d", minute)
          .isGreaterThanOrEqualTo(Duration.ofHours(26))
          .isLessThanOrEqualTo(Duration.ofHours(27));
      // the hour of the success plus 26 empty hours: at 03:00 the next day, whatever the minute
      assertThat(firstAlarm).isEqualTo(DAY_0.plus(Duration.ofHours(27)));
      assertThat(stale.evaluate(successes, last.plus(Duration.ofHours(27)))).isEqualTo(ALARM);
      assertThat(stale.evaluate(successes, last.plus(Duration.ofDays(5)))).isEqualTo(ALARM);
    }
  }

  @Test
  void givenNoMetricAtAll_thenAlarm_evenThoughPlainMissingDataWouldNeverPage() {
    List<Datapoint> none = List.of();

    assertThat(statesBetween(none, DAY_0, DAY_0.plus(Duration.ofDays(3)))).containsOnly(ALARM);
    // what SPEC §8 warns of: without FILL and breaching, silence is INSUFFICIENT_DATA, no page
    assertThat(stale.treatingMissingDataAs("missing", false).evaluate(none, DAY_0))
        .isEqualTo(INSUFFICIENT_DATA);
  }

  @Test
  void givenAFreshStack_thenAlarmUntilTheFirstSuccessesHourHasEnded_thenOk() {
    Instant deployed = DAY_0.minus(Duration.ofHours(10));
    Instant firstSuccess = DAY_0.plus(Duration.ofMinutes(7));
    List<Datapoint> successes = List.of(success(firstSuccess));

    assertThat(statesBetween(successes, deployed, DAY_0.plus(HOUR).minusSeconds(1)))
        .containsOnly(ALARM);
    assertThat(stale.evaluate(successes, DAY_0.plus(HOUR))).isEqualTo(OK);
  }

  @Test
  void
      givenTheAgeMetricEveryHour_thenTheMissingMetricAlarmStaysOk_andAlarmsAfterThreeSilentHours() {
    AlarmEvaluation missing =
        AlarmEvaluation.of(Template.parse().resource("FreshnessMetricMissingAlarm"));
    List<Datapoint> hourly = new ArrayList<>();
    for (int hour = 0; hour < 48; hour++) {
      hourly.add(new Datapoint(DAY_0.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(36)), 1));
    }
    Instant lastRun = hourly.get(hourly.size() - 1).at();

    assertThat(statesBetween(missing, hourly, DAY_0.plus(Duration.ofHours(3)), lastRun))
        .containsOnly(OK);
    // the runs of 48:35, 49:35 and 50:35 never came: ALARM when the third silent hour has ended
    assertThat(statesBetween(missing, hourly, lastRun, DAY_0.plus(Duration.ofHours(51))))
        .containsOnly(OK);
    assertThat(missing.evaluate(hourly, DAY_0.plus(Duration.ofHours(51)))).isEqualTo(ALARM);
    assertThat(missing.evaluate(List.of(), DAY_0)).isEqualTo(ALARM);
  }

  private List<AlarmEvaluation.State> statesBetween(
      List<Datapoint> datapoints, Instant from, Instant to) {
    return statesBetween(stale, datapoints, from, to);
  }

  /** The alarm's state at every minute of [from, to). */
  private static List<AlarmEvaluation.State> statesBetween(
      AlarmEvaluation alarm, List<Datapoint> datapoints, Instant from, Instant to) {
    List<AlarmEvaluation.State> states = new ArrayList<>();
    for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(1))) {
      states.add(alarm.evaluate(datapoints, t));
    }
    return states;
  }

  private Instant firstAlarmAfter(List<Datapoint> datapoints, Instant from) {
    for (Instant t = from; t.isBefore(from.plus(Duration.ofDays(3))); t = t.plusSeconds(60)) {
      if (stale.evaluate(datapoints, t) == ALARM) {
        return t;
      }
    }
    throw new AssertionError("no ALARM within 3 days of " + from);
  }

  /** What the EMF line of a success carries: the epoch seconds of the moment it happened. */
  private static Datapoint success(Instant at) {
    return new Datapoint(at, at.getEpochSecond());
  }
}
