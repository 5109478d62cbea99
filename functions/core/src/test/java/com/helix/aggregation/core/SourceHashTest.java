package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helix.aggregation.core.SourceHash.Algorithm;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SourceHashTest {

  @Test
  void givenSumsOfSignedRecordHashes_thenReducedModulo2To64AsSixteenHexDigits() {
    assertThat(SourceHash.ofSum(Algorithm.H2, BigInteger.ZERO).value())
        .isEqualTo("h2:0000000000000000");
    assertThat(SourceHash.ofSum(Algorithm.H2, BigInteger.ONE).value())
        .isEqualTo("h2:0000000000000001");
    assertThat(SourceHash.ofSum(Algorithm.H2, BigInteger.valueOf(-1)).value())
        .isEqualTo("h2:ffffffffffffffff");
    assertThat(SourceHash.ofSum(Algorithm.H2, BigInteger.ONE.shiftLeft(64).add(BigInteger.TEN)))
        .isEqualTo(SourceHash.ofSum(Algorithm.H2, BigInteger.TEN));
  }

  @Test
  void givenTheSameRecordsInAnyOrder_thenTheSameHash() {
    BigInteger a = BigInteger.valueOf(Long.MAX_VALUE);
    BigInteger b = BigInteger.valueOf(Long.MIN_VALUE + 7);
    BigInteger c = BigInteger.valueOf(-123456789);
    assertThat(SourceHash.ofSum(Algorithm.H2, a.add(b).add(c)))
        .isEqualTo(SourceHash.ofSum(Algorithm.H2, c.add(a).add(b)));
  }

  @Test
  void givenEitherAlgorithm_thenItsPrefixNamesItAndEqualSumsOfTwoAlgorithmsDiffer() {
    SourceHash first = new SourceHash("h1:00000000000000ff");
    SourceHash current = SourceHash.ofSum(Algorithm.CURRENT, BigInteger.valueOf(255));

    assertThat(first.algorithm()).isEqualTo(Algorithm.H1);
    assertThat(current.algorithm()).isEqualTo(Algorithm.H2);
    assertThat(SourceHash.ofSum(Algorithm.H1, BigInteger.valueOf(255))).isEqualTo(first);
    assertThat(current).isNotEqualTo(first);
  }

  @Test
  void givenTextThatIsNotAHash_thenRefused() {
    assertThatThrownBy(() -> new SourceHash("abc")).hasMessageContaining("not a source hash");
    assertThatThrownBy(() -> new SourceHash("h1:ABCDEF0123456789"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SourceHash("h3:0123456789abcdef"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
