package io.tokenworks.latzero.store;

import java.util.List;

/** Everything the fabric reloads at start: every known app and every pool. */
public record StoredState(List<AppRow> apps, List<PoolRow> pools) {

  public StoredState {
    apps = List.copyOf(apps);
    pools = List.copyOf(pools);
  }
}
