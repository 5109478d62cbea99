package com.helix.aggregation.core;

/** The verification state of a stored aggregate ({@code daily_aggregates.verification}). */
public enum Verification {
  VERIFIED("verified"),
  UNVERIFIED("unverified");

  private final String value;

  Verification(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Verification fromValue(String value) {
    return switch (value) {
      case "verified" -> VERIFIED;
      case "unverified" -> UNVERIFIED;
      default -> throw new IllegalArgumentException("unknown verification '" + value + "'");
    };
  }
}
