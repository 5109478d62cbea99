package com.helix.aggregation.core;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The change-detection hash of a day's raw data (SPEC §3): a 64-bit, order-independent multiset
 * hash. Each raw record is hashed from its typed fields (id, occurred_at as a UTC instant, account,
 * model, tokens, cost normalised so 1.5 = 1.50) and the record hashes are summed modulo 2^64, so an
 * insert, a delete and an update of any aggregated field all change it, while the session time zone
 * and the display scale of a numeric do not. The prefix names the {@link Algorithm}.
 */
public record SourceHash(String value) {
  private static final Pattern FORMAT = Pattern.compile("h[12]:[0-9a-f]{16}");
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  /**
   * How a record is hashed. New aggregates store {@link #CURRENT}; a stored hash is always compared
   * with one of its own algorithm, so a day aggregated by an older version stays {@code unchanged}
   * until its raw data changes.
   */
  public enum Algorithm {
    /** Each field hashed on its own, the hashes combined with {@code xor} and mixed once more. */
    H1,
    /** The fields hashed in a chain, each hash the seed of the next; a record with a NULL as H1. */
    H2;

    public static final Algorithm CURRENT = H2;

    String prefix() {
      return name().toLowerCase(Locale.ROOT) + ":";
    }
  }

  public SourceHash {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a source hash: '" + value + "'");
    }
  }

  /**
   * The hash of a day whose record hashes sum to {@code sum} (any sign, any size: the database adds
   * signed 64-bit values without overflow); an empty day sums to zero.
   */
  public static SourceHash ofSum(Algorithm algorithm, BigInteger sum) {
    String hex = sum.mod(TWO_TO_64).toString(16);
    return new SourceHash(algorithm.prefix() + "0".repeat(16 - hex.length()) + hex);
  }

  public Algorithm algorithm() {
    return Algorithm.valueOf(value.substring(0, 2).toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return value;
  }
}
