package com.helix.aggregation.core;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The change-detection hash of a day's raw data (SPEC §3): a 64-bit, order-independent multiset
 * hash. Each raw record is hashed from its typed fields (id, occurred_at as a UTC instant, account,
 * model, tokens, cost normalised so 1.5 = 1.50) and the record hashes are summed modulo 2^64, so an
 * insert, a delete and an update of any aggregated field all change it, while the session time zone
 * and the display scale of a numeric do not. The {@code h1:} prefix names the algorithm.
 */
public record SourceHash(String value) {
  private static final String PREFIX = "h1:";
  private static final Pattern FORMAT = Pattern.compile("h1:[0-9a-f]{16}");
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  public SourceHash {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a source hash: '" + value + "'");
    }
  }

  /**
   * The hash of a day whose record hashes sum to {@code sum} (any sign, any size: the database adds
   * signed 64-bit values without overflow); an empty day sums to zero.
   */
  public static SourceHash ofSum(BigInteger sum) {
    String hex = sum.mod(TWO_TO_64).toString(16);
    return new SourceHash(PREFIX + "0".repeat(16 - hex.length()) + hex);
  }

  @Override
  public String toString() {
    return value;
  }
}
