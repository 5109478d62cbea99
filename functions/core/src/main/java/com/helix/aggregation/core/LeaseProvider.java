package com.helix.aggregation.core;

import java.util.Optional;

/**
 * Port: the lease that keeps two runs from computing the same day (SPEC §4). Implementations: a
 * DynamoDB conditional write on AWS, a PostgreSQL advisory lock elsewhere. Correctness never
 * depends on it (the aggregation transaction fences stale writers); it saves the database from
 * doing the same work twice.
 */
public interface LeaseProvider {

  /**
   * Takes the lease for {@code key} when nobody holds it or the holder's lease expired, with a
   * fresh owner id and a token larger than any before it.
   *
   * @return empty when another owner holds the lease
   * @throws LeaseUnavailableException when the lock service cannot be reached (fail closed)
   */
  Optional<Lease> tryAcquire(String key);

  /**
   * Extends a held lease by the lease duration.
   *
   * @return false when this owner no longer holds it (expired and taken, or released)
   */
  boolean renew(Lease lease);

  /**
   * Releases the lease if this owner still holds it; a non-owner is refused.
   *
   * @return false when the lease was not held by this owner
   */
  boolean release(Lease lease);

  /** Where the leases live, for error messages (e.g. "DynamoDB table t at http://..."). */
  String describe();

  /**
   * Which lease store this is, as recorded for the deployment: every run of one deployment must use
   * the same one, since advisory locks and a DynamoDB table do not exclude each other.
   */
  LeaseStoreId id();

  /**
   * Checks, before a run's first day, that the lease store is reachable and usable.
   *
   * @throws LeaseUnavailableException when it is missing or refuses access
   * @throws TransientFailureException when it cannot be reached just now
   */
  void verifyReachable();
}
