package com.helix.aggregation.testing;

import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.AttemptStart;
import com.helix.aggregation.core.DailyAggregate;
import com.helix.aggregation.core.Failure;
import com.helix.aggregation.core.Outcome;
import com.helix.aggregation.core.RawTotals;
import com.helix.aggregation.core.SourceHash;
import com.helix.aggregation.core.Totals;
import com.helix.aggregation.core.Trigger;
import com.helix.aggregation.core.Verification;
import com.helix.aggregation.core.VerificationReport;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** Attempt reports for tests of the log and metrics adapters. */
public final class Reports {
  private Reports() {}

  public static AttemptReport aggregated(LocalDate day, Instant startedAt) {
    Totals totals = new Totals(3, new BigDecimal("1.2500000001"), 600, 60);
    DailyAggregate aggregate =
        new DailyAggregate(
            day,
            totals,
            SourceHash.ofSum(SourceHash.Algorithm.H2, BigInteger.TEN),
            true,
            Verification.VERIFIED,
            42L,
            1,
            startedAt,
            startedAt);
    return new AttemptReport(
        7,
        new AttemptStart(
            "daily-aggregate", day, Trigger.SCHEDULE, 1, 42L, "req-1", startedAt, "key-1"),
        Outcome.AGGREGATED,
        Duration.ofMillis(1234),
        Optional.of(aggregate),
        Optional.of(
            new VerificationReport(
                day, 1, totals, RawTotals.of(totals), totals, BigDecimal.ZERO, false, false)),
        Optional.empty(),
        false);
  }

  public static AttemptReport permanentlyFailed(LocalDate day, Instant startedAt) {
    return new AttemptReport(
        8,
        new AttemptStart(
            "daily-aggregate", day, Trigger.RETRY, 3, 43L, "req-2", startedAt, "key-2"),
        Outcome.PERMANENTLY_FAILED,
        Duration.ofMillis(10),
        Optional.empty(),
        Optional.empty(),
        Optional.of(new Failure("DatabaseException", "boom", "DatabaseException: boom", true)),
        false);
  }
}
