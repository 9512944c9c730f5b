package io.tokenworks.latzero.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code pool_metadata} row. The {@code config} column holds all of it as one JSON object, as
 * upstream did; the security blob lives only there.
 *
 * @param type the pool type's wire name ({@code local}, {@code encrypted})
 * @param policies policy name ({@code read}, {@code write}, {@code execute}, {@code admin}) to the
 *     app ids it allows, {@code "*"} meaning anyone
 * @param securityBlob opaque data the security layer keeps for an encrypted pool, or {@code null}
 */
public record PoolRow(
    String name,
    String type,
    boolean encrypted,
    List<String> owners,
    Map<String, List<String>> policies,
    String description,
    String securityBlob,
    long createdMs,
    long updatedMs) {

  public PoolRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    owners = List.copyOf(owners);
    policies = Map.copyOf(policies);
    description = description == null ? "" : description;
  }
}
