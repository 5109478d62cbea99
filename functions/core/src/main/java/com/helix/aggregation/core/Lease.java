package com.helix.aggregation.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A held lease.
 *
 * @param key the lock key, job + day (e.g. {@code daily-aggregate#2026-11-27})
 * @param owner new for every acquisition, so a restored snapshot never shares one
 * @param token grows with every acquisition of the key; stored with the aggregate for audit
 * @param expiresAt when the lease frees itself if never released (a crashed holder)
 */
public record Lease(String key, String owner, long token, Instant expiresAt) {
  public Lease {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
