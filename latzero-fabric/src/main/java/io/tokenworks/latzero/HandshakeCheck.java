package io.tokenworks.latzero;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks a handshake's names and counts before the registry looks at it. */
final class HandshakeCheck {

  private HandshakeCheck() {}

  /** A handshake whose names are valid, with duplicates removed (first occurrence kept). */
  record Checked(String appId, List<String> pools, List<String> triggers) {}

  /**
   * @throws FabricException HANDSHAKE_ERROR naming the first bad field
   */
  static Checked check(Handshake handshake) {
    if (!Names.isValidAppId(handshake.appId())) {
      throw fail("app_id=" + handshake.appId() + " must be 1-128 characters of [A-Za-z0-9._-]");
    }
    if (handshake.pools().size() > Handshake.MAX_POOLS) {
      throw fail("pools lists " + handshake.pools().size() + " pools, over " + Handshake.MAX_POOLS);
    }
    if (handshake.triggers().size() > Handshake.MAX_TRIGGERS) {
      throw fail(
          "triggers lists " + handshake.triggers().size() + ", over " + Handshake.MAX_TRIGGERS);
    }
    Set<String> pools = new LinkedHashSet<>();
    for (String pool : handshake.pools()) {
      if (!Names.isValidPoolName(pool)) {
        throw fail("pool name=" + pool + " must be 1-64 characters of [A-Za-z0-9._-]");
      }
      pools.add(pool);
    }
    Set<String> triggers = new LinkedHashSet<>();
    for (String trigger : handshake.triggers()) {
      if (!Names.isValidTriggerName(trigger)) {
        throw fail("trigger name=" + trigger + " must be 1-128 characters of [A-Za-z0-9._:-]");
      }
      triggers.add(trigger);
    }
    return new Checked(handshake.appId(), List.copyOf(pools), List.copyOf(triggers));
  }

  private static FabricException fail(String message) {
    return new FabricException(FabricError.HANDSHAKE_ERROR, message);
  }
}
