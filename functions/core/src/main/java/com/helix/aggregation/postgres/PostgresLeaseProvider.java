package com.helix.aggregation.postgres;

import com.helix.aggregation.config.TableName;
import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.LeaseStoreId;
import com.helix.aggregation.core.LeaseUnavailableException;
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
 * sequence. Advisory locks are re-entrant within a session, so the server is asked to refuse a key
 * this session already holds, as the DynamoDB lease refuses a second owner. The 64-bit lock id is a
 * hash of the owned schema and the key, so deployments in other schemas of one database never block
 * each other (two keys sharing an id would only make one of them wait).
 *
 * <p>When the worker's session breaks and is replaced (connection loss, a terminated backend, a
 * failover), every lock of the old session is gone: leases taken on it are forgotten, never
 * mistaken for held ones.
 */
public final class PostgresLeaseProvider implements LeaseProvider {
  private final Database db;
  private final String schema;
  private final String tokens;

  /** SQL for the lock id of the key bound to its one parameter. */
  private final String lockId;

  private final Duration leaseDuration;
  private final Clock clock;
  private final Map<String, Lease> held = new HashMap<>();
  private int heldOnSession;

  public PostgresLeaseProvider(Database db, String schema, Duration leaseDuration, Clock clock) {
    this.db = db;
    this.schema = schema;
    this.tokens = TableName.quote(schema) + ".lease_tokens";
    this.lockId = "hashtextextended('" + TableName.quote(schema) + ":' || ?, 0)";
    this.leaseDuration = leaseDuration;
    this.clock = clock;
  }

  @Override
  public Optional<Lease> tryAcquire(String key) {
    boolean taken =
        query(
            // the session's own lock would be granted again (re-entrant): refuse it instead
            "SELECT CASE WHEN EXISTS ("
                + heldBySession()
                + ") THEN false ELSE pg_try_advisory_lock("
                + lockId
                + ") END",
            key,
            key);
    forgetLeasesOfOldSessions();
    if (!taken) {
      return Optional.empty();
    }
    long token;
    try {
      token = nextToken();
    } catch (RuntimeException e) {
      unlockQuietly(key); // a session lock would outlive the failed acquisition
      throw e;
    }
    Lease lease =
        new Lease(key, "pg:" + UUID.randomUUID(), token, clock.instant().plus(leaseDuration));
    held.put(key, lease);
    return Optional.of(lease);
  }

  /** A session lock does not expire: renewing checks that this session still holds it. */
  @Override
  public boolean renew(Lease lease) {
    forgetLeasesOfOldSessions();
    if (!lease.equals(held.get(lease.key()))) {
      return false;
    }
    boolean still;
    try {
      still = query("SELECT EXISTS (" + heldBySession() + ")", lease.key());
    } catch (TransientFailureException e) {
      still = false; // the session broke: its locks went with it
    }
    forgetLeasesOfOldSessions();
    if (!still) {
      held.remove(lease.key());
    }
    return still && held.containsKey(lease.key());
  }

  @Override
  public boolean release(Lease lease) {
    forgetLeasesOfOldSessions();
    if (!lease.equals(held.get(lease.key()))) {
      return false;
    }
    held.remove(lease.key());
    try {
      return query("SELECT pg_advisory_unlock(" + lockId + ")", lease.key());
    } catch (TransientFailureException e) {
      return false; // the session is gone, and with it the lock
    }
  }

  @Override
  public String describe() {
    return "PostgreSQL advisory locks at " + db.describe();
  }

  @Override
  public LeaseStoreId id() {
    return new LeaseStoreId(LeaseStoreId.POSTGRES, schema);
  }

  /** Advisory locks need no table; the token sequence must be there and usable. */
  @Override
  public void verifyReachable() {
    boolean usable =
        db.autocommit(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT to_regclass(?) IS NOT NULL"
                          + " AND has_sequence_privilege(to_regclass(?), 'USAGE')")) {
                ps.setString(1, tokens);
                ps.setString(2, tokens);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getBoolean(1);
                }
              }
            });
    if (!usable) {
      throw new LeaseUnavailableException(
          "cannot use the lease token sequence " + tokens + " at " + db.describe(), null);
    }
  }

  /** SQL: this session's advisory lock of the key bound to its one parameter. */
  private String heldBySession() {
    return "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        + " AND granted AND objsubid = 1"
        // a bigint advisory key is stored as its high and low 32 bits
        + " AND ((classid::bigint << 32) | objid::bigint) = "
        + lockId;
  }

  /** Leases taken on a session that has since been replaced are gone with it. */
  private void forgetLeasesOfOldSessions() {
    if (db.session() != heldOnSession) {
      held.clear();
      heldOnSession = db.session();
    }
  }

  private void unlockQuietly(String key) {
    try {
      query("SELECT pg_advisory_unlock(" + lockId + ")", key);
    } catch (RuntimeException e) {
      // the session is broken: the lock went with it
    }
  }

  private long nextToken() {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT nextval('" + tokens + "')");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** A one-row boolean query with the key as its parameter(s). */
  private boolean query(String sql, String... keys) {
    return db.autocommit(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < keys.length; i++) {
              ps.setString(i + 1, keys[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getBoolean(1);
            }
          }
        });
  }
}
