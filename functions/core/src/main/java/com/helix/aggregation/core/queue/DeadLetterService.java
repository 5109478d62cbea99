package com.helix.aggregation.core.queue;

import com.helix.aggregation.core.AttemptLog;
import com.helix.aggregation.core.BackfillRequest;
import com.helix.aggregation.core.DayRange;
import com.helix.aggregation.core.TransientRetry;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Use case: the operator's view of the backfill's dead-letter queue ({@code helix dlq list} and
 * {@code helix dlq redrive}). A redrive is an explicit operator retry (SPEC §6): the days' failures
 * are reset, they go back to the backfill queue as a new request, and each leaves the dead-letter
 * queue only after its send succeeded. Poison messages are never redriven: no worker can read them.
 */
public final class DeadLetterService {
  /** How long received dead letters are hidden from other readers while this one works. */
  private static final int HOLD_SECONDS = 120;

  private final BackfillQueue queue;
  private final QueuedBackfillService backfills;
  private final AttemptLog attempts;
  private final TransientRetry retry;

  public DeadLetterService(
      BackfillQueue queue,
      QueuedBackfillService backfills,
      AttemptLog attempts,
      TransientRetry retry) {
    this.queue = queue;
    this.backfills = backfills;
    this.attempts = attempts;
    this.retry = retry;
  }

  /** Every dead letter, oldest day first; the queue is left as it was. */
  public List<DeadLetter> list() {
    List<DeadLetter> letters = retry.call(() -> queue.receiveDeadLetters(HOLD_SECONDS));
    letters.forEach(queue::putBack);
    return sorted(letters);
  }

  /** What a redrive did. */
  public record Redrive(
      Optional<String> requestId, List<LocalDate> days, List<DeadLetter> leftBehind) {}

  /**
   * Sends the dead-lettered days (of {@code onlyDay}, when given) back to the backfill queue as one
   * new request, with their failures reset; poison messages and other days stay where they are.
   */
  public Redrive redrive(Optional<LocalDate> onlyDay) {
    List<DeadLetter> letters = retry.call(() -> queue.receiveDeadLetters(HOLD_SECONDS));
    List<DeadLetter> chosen = new ArrayList<>();
    List<DeadLetter> left = new ArrayList<>();
    for (DeadLetter letter : letters) {
      boolean wanted =
          !letter.isPoison()
              && letter.day().isPresent()
              && onlyDay.map(d -> d.equals(letter.day().get())).orElse(true);
      (wanted ? chosen : left).add(letter);
    }
    try {
      List<LocalDate> days =
          chosen.stream().map(l -> l.day().orElseThrow()).distinct().sorted().toList();
      if (days.isEmpty()) {
        return new Redrive(Optional.empty(), days, sorted(left));
      }
      for (LocalDate day : days) {
        retry.call(() -> attempts.resetFailures(day, day));
      }
      BackfillRequest request =
          new BackfillRequest(
              new DayRange(days.get(0), days.get(days.size() - 1)),
              false,
              false,
              false,
              "redrive-" + UUID.randomUUID());
      backfills.submit(request, QueuedBackfillService.FROM_REDRIVE, days);
      chosen.forEach(
          l ->
              retry.call(
                  () -> {
                    queue.remove(l);
                    return null;
                  }));
      return new Redrive(Optional.of(request.requestId()), days, sorted(left));
    } catch (RuntimeException e) {
      chosen.forEach(queue::putBack); // nothing was lost: they stay dead letters
      throw e;
    } finally {
      left.forEach(queue::putBack);
    }
  }

  private static List<DeadLetter> sorted(List<DeadLetter> letters) {
    List<DeadLetter> copy = new ArrayList<>(letters);
    copy.sort(
        java.util.Comparator.comparing((DeadLetter l) -> l.day().orElse(LocalDate.MIN))
            .thenComparing(DeadLetter::sourceMessageId));
    return copy;
  }
}
