package com.helix.aggregation.core;

import java.util.Objects;

/**
 * A lease store as a deployment records it.
 *
 * @param kind {@code postgres} (advisory locks) or {@code dynamodb}
 * @param location the owned schema for advisory locks, the table name for DynamoDB
 */
public record LeaseStoreId(String kind, String location) {
  public static final String POSTGRES = "postgres";
  public static final String DYNAMODB = "dynamodb";

  public LeaseStoreId {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
  }

  @Override
  public String toString() {
    return kind.equals(DYNAMODB)
        ? "the DynamoDB table " + location + " (HELIX_LEASE_TABLE)"
        : "PostgreSQL advisory locks of schema " + location + " (HELIX_LEASE_TABLE unset)";
  }
}
