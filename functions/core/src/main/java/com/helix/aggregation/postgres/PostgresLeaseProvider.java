package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.TransientFailureException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The lease for local and non-AWS mode (SPEC §4): a session-level advisory lock on the worker's one
 * database session, released by the database the moment that session dies, with tokens from a
 * sequence. Advisory locks are re-entrant within a session, so this provider refuses a key it
 * already holds itself, as the DynamoDB lease refuses a second owner. The 64-bit lock id is a hash
 * of the key (two keys sharing one would only make one of them wait).
 */
public final class PostgresLeaseProvider implements LeaseProvider {
  private final Database db;
  private final String tokens;
  private final Duration leaseDuration;
  private final Clock clock;
  private final Map<String, Lease> held = new HashMap<>();

  public PostgresLeaseProvider(Database db, String schema, Duration leaseDuration, Clock clock) {
    this.db = db;
    this.tokens = TableName.quote(schema) + ".lease_tokens";
    this.leaseDuration = leaseDuration;
    this.clock = clock;
  }

  @Override
  public Optional<Lease> tryAcquire(String key) {
    if (held.containsKey(key)) {
      return Optional.empty();
    }
    Long token =
        db.autocommit(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT CASE WHEN pg_try_advisory_lock(hashtextextended(?, 0))"
                          + " THEN nextval('"
                          + tokens
                          + "') END, pg_backend_pid()")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  long value = rs.getLong(1);
                  return rs.wasNull() ? null : value;
                }
              }
            });
    if (token == null) {
      return Optional.empty();
    }
    Lease lease =
        new Lease(key, "pg:" + UUID.randomUUID(), token, clock.instant().plus(leaseDuration));
    held.put(key, lease);
    return Optional.of(lease);
  }

  /** A session lock does not expire: renewing checks that this session still holds it. */
  @Override
  public boolean renew(Lease lease) {
    if (!lease.equals(held.get(lease.key()))) {
      return false;
    }
    try {
      return db.autocommit(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND pid = pg_backend_pid() AND granted AND objsubid = 1"
                        // a bigint advisory key is stored as its high and low 32 bits
                        + " AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0))")) {
              ps.setString(1, lease.key());
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
              }
            }
          });
    } catch (TransientFailureException e) {
      held.remove(lease.key());
      return false;
    }
  }

  @Override
  public boolean release(Lease lease) {
    if (!lease.equals(held.get(lease.key()))) {
      return false;
    }
    held.remove(lease.key());
    try {
      return db.autocommit(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
              ps.setString(1, lease.key());
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
              }
            }
          });
    } catch (TransientFailureException e) {
      return false; // the session is gone, and with it the lock
    }
  }

  @Override
  public String describe() {
    return "PostgreSQL advisory locks at " + db.describe();
  }
}
