package com.helix.aggregation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.LeaseProviderContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresLeaseProviderIT extends LeaseProviderContract {

  @Override
  protected LeaseProvider leasesFor(Database session) {
    return new PostgresLeaseProvider(
        session, db.schema(), Duration.ofMinutes(16), Clock.systemUTC());
  }

  @Test
  void givenTheHoldersSessionIsKilled_thenTheLeaseIsFreeAtOnce() {
    Database session = db.open();
    LeaseProvider a = leasesFor(session);
    Lease lease = a.tryAcquire("daily-aggregate#2026-02-01").orElseThrow();
    LeaseProvider b = holder();
    assertThat(b.tryAcquire("daily-aggregate#2026-02-01")).isEmpty();

    long holderPid =
        session.autocommit(
            c -> {
              try (var rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getLong(1);
              }
            });
    assertThat(
            db.count(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = ?",
                (int) holderPid))
        .isEqualTo(1);

    db.terminateBackend(holderPid);

    Lease taken = b.tryAcquire("daily-aggregate#2026-02-01").orElseThrow();
    assertThat(taken.token()).isGreaterThan(lease.token());
    assertThat(a.renew(lease)).as("the dead holder learns it lost the lease").isFalse();
    session.close();
  }
}
