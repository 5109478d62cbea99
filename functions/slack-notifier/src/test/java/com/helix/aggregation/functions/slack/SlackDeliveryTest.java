package com.helix.aggregation.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlackDeliveryTest {
  private static final URI WEBHOOK =
      URI.create("https://hooks.slack.com/services/T0HELIX00/B0ALERTS0/s3cr3t");

  private final FakeTime time = new FakeTime();
  private final ScriptedPoster slack = new ScriptedPoster();
  private final SlackDelivery delivery = new SlackDelivery(slack, time, time);

  @Test
  void givenSlackTakesTheMessage_thenOneAttempt() {
    slack.answers(200);

    assertThat(delivery.deliver(WEBHOOK, "{}", in(30)))
        .isEqualTo(new SlackDelivery.Delivered(1, 200));
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void givenA500Twice_thenItIsRetriedAfter1sAnd2s_andTheThirdAttemptDelivers() {
    slack.answers(500, 503, 200);

    assertThat(delivery.deliver(WEBHOOK, "{}", in(30)))
        .isEqualTo(new SlackDelivery.Delivered(3, 200));
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void givenA500EveryTime_thenThreeAttempts_andTheFailureNamesStatusAndHostButNotThePath() {
    slack.answers(500, 500, 500, 500);

    assertThatThrownBy(() -> delivery.deliver(WEBHOOK, "{}", in(30)))
        .isInstanceOf(SlackDeliveryException.class)
        .hasMessage("Slack webhook hooks.slack.com failed 3 attempts, the last with HTTP 500")
        .satisfies(e -> assertThat(((SlackDeliveryException) e).attempts()).isEqualTo(3));
    assertThat(slack.posts).hasSize(3);
  }

  @Test
  void givenA400_thenItIsNotRetried_butFails() {
    slack.answers(400, 200);
    slack.body = "invalid_payload";

    assertThatThrownBy(() -> delivery.deliver(WEBHOOK, "{}", in(30)))
        .hasMessage(
            "Slack webhook hooks.slack.com refused the message with HTTP 400 invalid_payload"
                + " (not retried: the payload or the webhook URL is wrong)");
    assertThat(slack.posts).hasSize(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void givenARevokedWebhook_thenItIsNotRetried() {
    slack.answers(404);
    slack.body = "no_service";

    assertThatThrownBy(() -> delivery.deliver(WEBHOOK, "{}", in(30)))
        .hasMessageContaining("HTTP 404 no_service (not retried");
    assertThat(slack.posts).hasSize(1);
  }

  @Test
  void givenAnErrorBodyThatIsNoSlackErrorCode_thenItIsLeftOutOfTheMessage() {
    slack.answers(403);
    slack.body =
        "<html>Forbidden: https://hooks.slack.com/services/T0HELIX00/B0ALERTS0/s3cr3t</html>";

    assertThatThrownBy(() -> delivery.deliver(WEBHOOK, "{}", in(30)))
        .hasMessageStartingWith("Slack webhook hooks.slack.com refused the message with HTTP 403 (")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void givenA429WithRetryAfter_thenTheRetryWaitsThatLong() {
    slack.answers(429, 200);
    slack.retryAfter = Optional.of(Duration.ofSeconds(4));

    assertThat(delivery.deliver(WEBHOOK, "{}", in(30)).attempts()).isEqualTo(2);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(4));
  }

  @Test
  void givenConnectFailuresAndTimeouts_thenTheyAreRetried_andTheFailureSaysWhat() {
    slack.failures.add(new ConnectException());
    slack.failures.add(new HttpTimeoutException("request timed out"));
    slack.failures.add(new IOException("closed " + WEBHOOK));

    assertThatThrownBy(() -> delivery.deliver(WEBHOOK, "{}", in(30)))
        .hasMessage(
            "Slack webhook hooks.slack.com failed 3 attempts, the last with"
                + " IOException (closed hooks.slack.com)");
    assertThat(slack.posts).hasSize(3);
  }

  @Test
  void givenLittleTimeLeft_thenNoRetryOutlivesTheInvocation() {
    slack.answers(500, 500, 500);

    assertThatThrownBy(() -> delivery.deliver(WEBHOOK, "{}", time.instant().plusMillis(2_400)))
        .hasMessage(
            "Slack webhook hooks.slack.com failed 2 attempts, the last with HTTP 500:"
                + " the invocation ends before a retry in 2000 ms");
    assertThat(slack.posts).hasSize(2);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void givenEachAttempt_thenItsTimeoutIsBoundedByTheTimeLeft() {
    slack.answers(200);

    delivery.deliver(WEBHOOK, "{}", time.instant().plusMillis(1_200));

    assertThat(slack.timeouts).containsExactly(Duration.ofMillis(1_200));
  }

  @Test
  void givenNoTimeLeft_thenNothingIsPosted() {
    assertThatThrownBy(() -> delivery.deliver(WEBHOOK, "{}", time.instant().plusMillis(100)))
        .hasMessage("Slack webhook hooks.slack.com not tried: 100 ms of the invocation left");
    assertThat(slack.posts).isEmpty();
  }

  private Instant in(int seconds) {
    return time.instant().plusSeconds(seconds);
  }

  /** Answers with the scripted statuses, or throws the scripted failures first. */
  private static final class ScriptedPoster implements SlackPoster {
    final Deque<Integer> statuses = new ArrayDeque<>();
    final Deque<IOException> failures = new ArrayDeque<>();
    final List<String> posts = new ArrayList<>();
    final List<Duration> timeouts = new ArrayList<>();
    String body = "ok";
    Optional<Duration> retryAfter = Optional.empty();

    void answers(Integer... statuses) {
      this.statuses.addAll(List.of(statuses));
    }

    @Override
    public Response post(URI webhook, String json, Duration timeout) throws IOException {
      posts.add(json);
      timeouts.add(timeout);
      if (!failures.isEmpty()) {
        throw failures.poll();
      }
      return new Response(statuses.poll(), body, retryAfter);
    }
  }
}
