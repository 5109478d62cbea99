package com.helix.aggregation.dynamodb;

import com.helix.aggregation.core.Lease;
import com.helix.aggregation.core.LeaseProvider;
import com.helix.aggregation.core.LeaseStoreId;
import com.helix.aggregation.core.LeaseUnavailableException;
import com.helix.aggregation.core.TransientFailureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The lease on AWS (SPEC §4): one conditional {@code UpdateItem} takes it when the item is absent
 * or expired, sets a fresh owner and the expiry, and increments the token it returns. Release and
 * renewal are conditional on the owner. Items never expire by TTL and are never deleted, so a key's
 * tokens only grow. There is no heartbeat: a crashed holder's lease frees at its expiry, which is
 * longer than the function timeout.
 *
 * <p>Item: {@code lock_key} (S, hash key), {@code owner} (S, absent when released), {@code
 * expires_at} and {@code acquired_at} (N, epoch milliseconds), {@code token} (N).
 */
public final class DynamoDbLeaseProvider implements LeaseProvider {
  /** The table's hash key; the template's key schema must match it. */
  public static final String KEY_ATTRIBUTE = "lock_key";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration leaseDuration;
  private final Clock clock;

  /** Owner ids this provider acquired: it releases or renews no other's lease. */
  private final Set<String> owned = ConcurrentHashMap.newKeySet();

  /**
   * Per key, the owner id of this provider that the item may still carry: an acquisition whose
   * answer was lost, or a release that could not be sent (the lease store was unreachable). Only
   * invocations fill it, never the initialization a SnapStart snapshot is taken from.
   */
  private final Map<String, String> mayStillHold = new ConcurrentHashMap<>();

  public DynamoDbLeaseProvider(
      DynamoDbClient dynamo, String table, Duration leaseDuration, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.leaseDuration = leaseDuration;
    this.clock = clock;
  }

  @Override
  public Optional<Lease> tryAcquire(String key) {
    // A new owner for every acquisition (SnapStart clones share memory, never this id), except
    // after an acquisition whose answer never came or a release that failed: the item may still
    // carry that owner, so it is ours to take again rather than a stranger's until it expires.
    String owner = mayStillHold.getOrDefault(key, "ddb:" + UUID.randomUUID());
    Instant now = clock.instant();
    Instant expires = now.plus(leaseDuration);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":owner", AttributeValue.fromS(owner));
    values.put(":expires", number(expires.toEpochMilli()));
    values.put(":now", number(now.toEpochMilli()));
    values.put(":one", number(1));
    UpdateItemRequest request =
        UpdateItemRequest.builder()
            .tableName(table)
            .key(key(key))
            .updateExpression(
                "SET #owner = :owner, expires_at = :expires, acquired_at = :now ADD #token :one")
            .conditionExpression(
                "attribute_not_exists(lock_key) OR expires_at < :now OR #owner = :owner")
            .expressionAttributeNames(Map.of("#owner", "owner", "#token", "token"))
            .expressionAttributeValues(values)
            // The SDK retries a call whose answer was lost; if the lost one had succeeded, the
            // retry finds our own owner and succeeds too (the token goes up once more: harmless).
            .returnValues(ReturnValue.UPDATED_NEW)
            .build();
    try {
      UpdateItemResponse response = dynamo.updateItem(request);
      long token = Long.parseLong(response.attributes().get("token").n());
      mayStillHold.remove(key);
      owned.add(owner);
      return Optional.of(new Lease(key, owner, token, expires));
    } catch (ConditionalCheckFailedException held) {
      // the condition admits our own owner, so another holder has it: nothing of ours is there
      mayStillHold.remove(key);
      return Optional.empty();
    } catch (SdkException e) {
      // Unknown whether it was taken: if it was, the item carries this owner, which the next
      // acquisition of the key uses again.
      mayStillHold.put(key, owner);
      throw unavailable("take the lease " + key, e);
    }
  }

  @Override
  public boolean renew(Lease lease) {
    if (!owned.contains(lease.owner())) {
      return false;
    }
    Instant expires = clock.instant().plus(leaseDuration);
    return updateOwned(
        lease,
        "SET expires_at = :expires",
        Map.of(":expires", number(expires.toEpochMilli())),
        "renew");
  }

  /**
   * Frees the lease at once (expiry in the past) but keeps the item, so tokens keep growing. If the
   * lease store cannot be reached, the item stays ours until its expiry; this provider takes it
   * again whenever it asks for the key meanwhile.
   */
  @Override
  public boolean release(Lease lease) {
    if (!owned.remove(lease.owner())) {
      return false;
    }
    try {
      return updateOwned(
          lease,
          "SET expires_at = :released REMOVE #owner",
          Map.of(":released", number(0)),
          "release");
    } catch (RuntimeException e) {
      mayStillHold.put(lease.key(), lease.owner());
      throw e;
    }
  }

  /**
   * Forgets every owner id this provider acquired or may still hold: after a SnapStart restore,
   * each clone of the snapshot would remember the same ids, and two clones taking a lease "again"
   * under one owner id would both hold it. The items themselves stay until their expiry.
   */
  public void forgetRememberedOwners() {
    owned.clear();
    mayStillHold.clear();
  }

  @Override
  public String describe() {
    return "DynamoDB table " + table + " at " + DynamoDbClients.endpoint(dynamo);
  }

  @Override
  public LeaseStoreId id() {
    return new LeaseStoreId(LeaseStoreId.DYNAMODB, table);
  }

  /** Reads a key that is never written: proves the table exists and this role may read it. */
  @Override
  public void verifyReachable() {
    try {
      dynamo.getItem(g -> g.tableName(table).key(key("helix#setup-check")));
    } catch (SdkException e) {
      throw unavailable("reach the lease store", e);
    }
  }

  private boolean updateOwned(
      Lease lease, String update, Map<String, AttributeValue> values, String action) {
    Map<String, AttributeValue> all = new HashMap<>(values);
    all.put(":owner", AttributeValue.fromS(lease.owner()));
    try {
      dynamo.updateItem(
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key(lease.key()))
              .updateExpression(update)
              .conditionExpression("#owner = :owner")
              .expressionAttributeNames(Map.of("#owner", "owner"))
              .expressionAttributeValues(all)
              .build());
      return true;
    } catch (ConditionalCheckFailedException notOwner) {
      return false;
    } catch (SdkException e) {
      throw unavailable(action + " the lease " + lease.key(), e);
    }
  }

  /**
   * A missing table or refused access means the lock service is unusable: the run fails closed at
   * once. Throttling, a server error or an unreachable endpoint that outlasted the SDK's own
   * retries is transient: retried within the attempt's budget (an outage of a minute is ridden
   * out), after which the environment is declared unavailable. Neither counts against a day.
   */
  private RuntimeException unavailable(String action, SdkException e) {
    String endpoint = DynamoDbClients.endpoint(dynamo);
    if (e instanceof ResourceNotFoundException) {
      return new LeaseUnavailableException(
          "cannot " + action + ": DynamoDB table " + table + " does not exist at " + endpoint, e);
    }
    if (e instanceof SdkClientException) {
      return new TransientFailureException(
          "cannot " + action + ": " + describe() + " is unreachable: " + e.getMessage(), e);
    }
    if (e instanceof AwsServiceException service
        && (service.isThrottlingException() || service.statusCode() >= 500)) {
      return new TransientFailureException(
          "cannot " + action + ": " + describe() + " answered " + e.getMessage(), e);
    }
    return new LeaseUnavailableException(
        "cannot " + action + ": " + describe() + " failed: " + e.getMessage(), e);
  }

  private static Map<String, AttributeValue> key(String key) {
    return Map.of(KEY_ATTRIBUTE, AttributeValue.fromS(key));
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
