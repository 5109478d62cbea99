package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.postgres.Database;
import com.helix.aggregation.testing.Harness;
import com.helix.aggregation.testing.PostgresFixture;
import com.helix.aggregation.testing.TestDatabase;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaseProvider} promises where the DynamoDB and PostgreSQL leases meet (SPEC
 * §4): mutual exclusion, growing tokens, release on success and on failure, refusal to a non-owner.
 * Each adapter runs it against its real backend, plus its own death test.
 */
public abstract class LeaseProviderContract {
  protected TestDatabase db;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** A lease provider for one holder (a worker with its own session). */
  protected abstract LeaseProvider leasesFor(Database session);

  @BeforeEach
  void createDatabase() {
    db = PostgresFixture.freshDatabase();
  }

  @AfterEach
  void closeHolders() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  /** A new holder with a session of its own. */
  protected LeaseProvider holder() {
    Database session = db.open();
    opened.add(session);
    return leasesFor(session);
  }

  protected Harness worker() {
    Harness harness = new Harness(db, db.sessions(), Clock.systemUTC(), this::leasesFor);
    opened.add(harness);
    return harness;
  }

  @Test
  void givenAHeldLease_thenEveryOtherHolderIsRefused_untilItIsReleased() {
    LeaseProvider a = holder();
    LeaseProvider b = holder();
    LeaseProvider c = holder();

    Lease lease = a.tryAcquire("daily-aggregate#2026-01-01").orElseThrow();

    assertThat(b.tryAcquire("daily-aggregate#2026-01-01")).isEmpty();
    assertThat(c.tryAcquire("daily-aggregate#2026-01-01")).isEmpty();
    assertThat(a.release(lease)).isTrue();
    assertThat(b.tryAcquire("daily-aggregate#2026-01-01")).isPresent();
  }

  @Test
  void givenAHeldLease_thenItsOwnHolderCannotTakeItTwice() {
    LeaseProvider a = holder();

    assertThat(a.tryAcquire("daily-aggregate#2026-01-02")).isPresent();
    assertThat(a.tryAcquire("daily-aggregate#2026-01-02")).isEmpty();
  }

  @Test
  void givenOtherKeys_thenTheyAreIndependent() {
    LeaseProvider a = holder();
    LeaseProvider b = holder();

    assertThat(a.tryAcquire("daily-aggregate#2026-01-03")).isPresent();
    assertThat(b.tryAcquire("daily-aggregate#2026-01-04")).isPresent();
    assertThat(b.tryAcquire("backfill")).isPresent();
  }

  @Test
  void givenRepeatedAcquisitionsByDifferentHolders_thenTokensOnlyGrow() {
    List<LeaseProvider> holders = List.of(holder(), holder(), holder());
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      LeaseProvider h = holders.get(i % holders.size());
      Lease lease = h.tryAcquire("daily-aggregate#2026-01-05").orElseThrow();
      tokens.add(lease.token());
      assertThat(h.release(lease)).isTrue();
    }

    assertThat(tokens).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void givenEveryAcquisition_thenANewOwnerId() {
    LeaseProvider a = holder();
    Lease first = a.tryAcquire("daily-aggregate#2026-01-06").orElseThrow();
    a.release(first);
    Lease second = a.tryAcquire("daily-aggregate#2026-01-06").orElseThrow();

    assertThat(second.owner()).isNotEqualTo(first.owner());
  }

  @Test
  void givenALease_whenANonOwnerReleasesOrRenewsIt_thenRefused_andTheLeaseStaysHeld() {
    LeaseProvider a = holder();
    LeaseProvider b = holder();
    Lease lease = a.tryAcquire("daily-aggregate#2026-01-07").orElseThrow();
    Lease forged = new Lease(lease.key(), "someone-else", lease.token(), lease.expiresAt());

    assertThat(b.release(lease)).isFalse();
    assertThat(a.release(forged)).isFalse();
    assertThat(b.renew(lease)).isFalse();
    assertThat(holder().tryAcquire("daily-aggregate#2026-01-07")).isEmpty();
    assertThat(a.renew(lease)).isTrue();
    assertThat(a.release(lease)).isTrue();
    assertThat(a.release(lease)).as("released twice").isFalse();
  }

  @Test
  void givenASuccessfulAttempt_thenItsLeaseIsReleased() {
    db.insertRaw(1, "2026-01-08T10:00:00Z", "acct-1", "gpt-large", 1, 1, "1");
    LocalDate day = LocalDate.of(2026, 1, 8);

    assertThat(worker().run(day).outcome()).isEqualTo(Outcome.AGGREGATED);

    assertThat(holder().tryAcquire(AggregateDayService.leaseKey(day))).isPresent();
  }

  @Test
  void givenAFailingAttempt_thenItsLeaseIsReleasedToo() {
    db.insertRaw(1, "2026-01-09T10:00:00Z", "acct-1", "gpt-large", Long.MAX_VALUE, 1, "1");
    db.insertRaw(2, "2026-01-09T11:00:00Z", "acct-1", "gpt-large", Long.MAX_VALUE, 1, "1");
    LocalDate day = LocalDate.of(2026, 1, 9);

    assertThat(worker().run(day).outcome()).isEqualTo(Outcome.FAILED);

    Optional<Lease> after = holder().tryAcquire(AggregateDayService.leaseKey(day));
    assertThat(after).isPresent();
  }
}
