package io.tokenworks.latzero.pool;

import io.tokenworks.latzero.security.TripleKey;
import java.util.List;
import java.util.Optional;

/**
 * A pool as the fabric holds it.
 *
 * @param securityBlob opaque data of the security layer for an encrypted pool (key verifiers), or
 *     {@code null}; a server should not send it to clients
 * @param members apps that belong to the pool, live or not, in joining order
 * @param liveMembers the members with a live session
 * @param issuedKeys for the result of creating an encrypted pool only: its three keys, which the
 *     fabric does not keep (it stores verifiers) and nobody can ask for again
 */
public record PoolInfo(
    String name,
    PoolType type,
    PoolPolicies policies,
    List<String> owners,
    String description,
    String securityBlob,
    long createdMs,
    long updatedMs,
    List<String> members,
    List<String> liveMembers,
    Optional<TripleKey> issuedKeys) {

  public PoolInfo {
    owners = List.copyOf(owners);
    members = List.copyOf(members);
    liveMembers = List.copyOf(liveMembers);
    issuedKeys = issuedKeys == null ? Optional.empty() : issuedKeys;
  }

  /** This pool as created, carrying the keys issued for it. */
  public PoolInfo withIssuedKeys(TripleKey keys) {
    return new PoolInfo(
        name,
        type,
        policies,
        owners,
        description,
        securityBlob,
        createdMs,
        updatedMs,
        members,
        liveMembers,
        Optional.of(keys));
  }

  public boolean encrypted() {
    return type == PoolType.ENCRYPTED;
  }
}
