package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class FailureTest {

  @Test
  void givenAnErrorOfTheDay_thenItCountsAgainstTheDay_withItsWholeCauseChain() {
    Failure failure =
        Failure.of(
            new IllegalStateException(
                "numeric field overflow", new ArithmeticException("out of range")));

    assertThat(failure.errorClass()).isEqualTo("IllegalStateException");
    assertThat(failure.message()).isEqualTo("numeric field overflow");
    assertThat(failure.causeChain())
        .isEqualTo(
            "IllegalStateException: numeric field overflow <- ArithmeticException: out of range");
    assertThat(failure.countsAgainstDay()).isTrue();
  }

  @Test
  void givenAnErrorOfTheEnvironment_thenItNeverCountsAgainstTheDay() {
    assertThat(Failure.of(new EnvironmentException("raw table missing")).countsAgainstDay())
        .isFalse();
    assertThat(
            Failure.of(
                    new EnvironmentUnavailableException(
                        "database unreachable", new TransientFailureException("refused", null)))
                .countsAgainstDay())
        .isFalse();
    assertThat(Failure.of(new LeaseUnavailableException("no table", null)).countsAgainstDay())
        .isFalse();
  }

  @Test
  void givenACauseThatPointsBackAtItself_thenTheChainEnds() {
    RuntimeException looping = new RuntimeException("a");
    RuntimeException cause = new RuntimeException("b", looping);
    looping.initCause(cause);

    assertThat(Failure.of(looping).causeChain())
        .isEqualTo("RuntimeException: a <- RuntimeException: b");
  }

  @Test
  void givenAbandonedAttemptsAndAMismatch_thenBothAreFailuresOfTheDay() {
    Totals stored = new Totals(1, BigDecimal.ONE, 1, 1);
    VerificationReport mismatch =
        new VerificationReport(
            LocalDate.of(2026, 1, 1),
            1,
            stored,
            new RawTotals(2, BigDecimal.ONE),
            stored,
            BigDecimal.ZERO,
            false,
            false);

    assertThat(Failure.abandoned(2).countsAgainstDay()).isTrue();
    assertThat(Failure.abandoned(2).message()).startsWith("2 earlier attempt(s) never finished");
    assertThat(Failure.verificationMismatch(mismatch).errorClass())
        .isEqualTo(Failure.VERIFICATION_MISMATCH);
    assertThat(Failure.verificationMismatch(mismatch).countsAgainstDay()).isTrue();
  }
}
