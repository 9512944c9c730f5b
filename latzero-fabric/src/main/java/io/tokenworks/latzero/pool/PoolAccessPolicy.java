package io.tokenworks.latzero.pool;

import java.util.Map;

/**
 * Decides whether an app may join an {@link PoolType#ENCRYPTED} pool, after the pool's read policy
 * has allowed it. The security layer implements it by checking the credentials from the handshake
 * (for example a SigilKey) against the verifiers in {@link PoolInfo#securityBlob()}.
 *
 * <p>Called while the fabric's registry is locked, so it must be quick and must not call back into
 * the fabric.
 */
@FunctionalInterface
public interface PoolAccessPolicy {

  /** Refuses everyone: the default until a security layer is configured. */
  PoolAccessPolicy DENY_ALL = (pool, appId, credentials) -> false;

  /**
   * @param pool the pool, with its security blob
   * @param appId the app asking to join
   * @param credentials what the handshake carried for this pool; empty when nothing
   * @return whether the app may join
   */
  boolean mayJoin(PoolInfo pool, String appId, Map<String, String> credentials);
}
