package io.tokenworks.latzero.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pool to create. Build one with {@link #builder(String)}.
 *
 * @param owners apps that may delete the pool; when empty, a session creating the pool becomes its
 *     owner
 * @param securityBlob opaque data of the security layer (for an encrypted pool), or {@code null}
 */
public record PoolSpec(
    String name,
    PoolType type,
    PoolPolicies policies,
    List<String> owners,
    String description,
    String securityBlob) {

  public PoolSpec {
    Objects.requireNonNull(type, "type");
    policies = policies == null ? PoolPolicies.DEFAULT : policies;
    owners = owners == null ? List.of() : List.copyOf(owners);
    description = description == null ? "" : description;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The same spec with other owners. */
  public PoolSpec withOwners(List<String> newOwners) {
    return new PoolSpec(name, type, policies, newOwners, description, securityBlob);
  }

  /** The same spec with a security blob. */
  public PoolSpec withSecurityBlob(String blob) {
    return new PoolSpec(name, type, policies, owners, description, blob);
  }

  /** Fluent construction of a {@link PoolSpec}; the type defaults to {@link PoolType#LOCAL}. */
  public static final class Builder {
    private final String name;
    private PoolType type = PoolType.LOCAL;
    private PoolPolicies policies = PoolPolicies.DEFAULT;
    private final List<String> owners = new ArrayList<>();
    private String description = "";
    private String securityBlob;

    private Builder(String name) {
      this.name = name;
    }

    public Builder type(PoolType value) {
      this.type = Objects.requireNonNull(value, "type");
      return this;
    }

    public Builder policies(PoolPolicies value) {
      this.policies = Objects.requireNonNull(value, "policies");
      return this;
    }

    public Builder owners(String... appIds) {
      owners.addAll(List.of(appIds));
      return this;
    }

    public Builder description(String value) {
      this.description = value;
      return this;
    }

    public Builder securityBlob(String value) {
      this.securityBlob = value;
      return this;
    }

    public PoolSpec build() {
      return new PoolSpec(name, type, policies, owners, description, securityBlob);
    }
  }
}
