package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.latzero.pool.PoolAccessPolicy;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.security.Capability;
import io.tokenworks.latzero.security.LatZeroSecurityException;
import io.tokenworks.latzero.security.PoolVerifiers;
import io.tokenworks.latzero.security.PresentedKeys;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The triple key applied to pools: which capabilities the keys a session presented grant in a pool.
 * Only an encrypted pool asks for keys; its security blob holds the verifiers stored when it was
 * created (never the keys, which only its creator received).
 */
final class PoolKeys {

  /** Joining an encrypted pool needs the SigilKey. */
  static final PoolAccessPolicy ACCESS =
      (pool, appId, credentials) -> capabilities(pool, credentials).contains(Capability.JOIN);

  private static final Set<Capability> ALL = Set.copyOf(EnumSet.allOf(Capability.class));

  private PoolKeys() {}

  /**
   * Everything in a pool that is not encrypted; in an encrypted one what the presented keys prove
   * (JOIN with the SigilKey, READ adding the CipherShard, WRITE adding the OblivionSeal). A
   * malformed key or a damaged verifier record grants nothing.
   */
  static Set<Capability> capabilities(PoolInfo pool, Map<String, String> credentials) {
    if (!pool.encrypted()) {
      return ALL;
    }
    if (pool.securityBlob() == null || credentials.isEmpty()) {
      return Set.of();
    }
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    credentials.forEach(fields::put);
    try {
      PresentedKeys presented = PresentedKeys.fromJson(fields);
      try {
        return PoolVerifiers.parse(pool.name(), pool.securityBlob()).authorize(presented);
      } finally {
        presented.destroy();
      }
    } catch (LatZeroSecurityException e) {
      return Set.of();
    }
  }
}
