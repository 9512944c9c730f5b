package io.tokenworks.latzero.pool;

import java.util.List;

/**
 * A pool as the fabric holds it.
 *
 * @param securityBlob opaque data of the security layer for an encrypted pool (key verifiers), or
 *     {@code null}; a server should not send it to clients
 * @param members apps that belong to the pool, live or not, in joining order
 * @param liveMembers the members with a live session
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
    List<String> liveMembers) {

  public PoolInfo {
    owners = List.copyOf(owners);
    members = List.copyOf(members);
    liveMembers = List.copyOf(liveMembers);
  }

  public boolean encrypted() {
    return type == PoolType.ENCRYPTED;
  }
}
