package com.helix.aggregation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SourceHashTest {

  @Test
  void givenSumsOfSignedRecordHashes_thenReducedModulo2To64AsSixteenHexDigits() {
    assertThat(SourceHash.ofSum(BigInteger.ZERO).value()).isEqualTo("h1:0000000000000000");
    assertThat(SourceHash.ofSum(BigInteger.ONE).value()).isEqualTo("h1:0000000000000001");
    assertThat(SourceHash.ofSum(BigInteger.valueOf(-1)).value()).isEqualTo("h1:ffffffffffffffff");
    assertThat(SourceHash.ofSum(BigInteger.ONE.shiftLeft(64).add(BigInteger.TEN)))
        .isEqualTo(SourceHash.ofSum(BigInteger.TEN));
  }

  @Test
  void givenTheSameRecordsInAnyOrder_thenTheSameHash() {
    BigInteger a = BigInteger.valueOf(Long.MAX_VALUE);
    BigInteger b = BigInteger.valueOf(Long.MIN_VALUE + 7);
    BigInteger c = BigInteger.valueOf(-123456789);
    assertThat(SourceHash.ofSum(a.add(b).add(c))).isEqualTo(SourceHash.ofSum(c.add(a).add(b)));
  }

  @Test
  void givenTextThatIsNotAHash_thenRefused() {
    assertThatThrownBy(() -> new SourceHash("abc")).hasMessageContaining("not a source hash");
    assertThatThrownBy(() -> new SourceHash("h1:ABCDEF0123456789"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
