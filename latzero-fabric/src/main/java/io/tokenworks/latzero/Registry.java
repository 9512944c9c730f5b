package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.latzero.memory.BlockManager;
import io.tokenworks.latzero.pool.PoolDirectory;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.pool.PoolType;
import io.tokenworks.latzero.route.Endpoint;
import io.tokenworks.latzero.route.Router;
import io.tokenworks.latzero.security.PoolVerifiers;
import io.tokenworks.latzero.security.TripleKey;
import io.tokenworks.latzero.store.AppRow;
import io.tokenworks.latzero.store.FabricStore;
import io.tokenworks.latzero.store.PoolRow;
import io.tokenworks.latzero.store.StoreException;
import io.tokenworks.latzero.store.StoredState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app registry and the pool directory behind one lock: handshakes (registration, rehydration,
 * takeover), session close, pool administration. Each operation checks everything first and changes
 * state only once nothing can fail, so a refused handshake changes nothing (upstream left the app
 * half-registered). Routing state is handed to the {@link Router}; the store is written behind,
 * except for pool administration, which waits for its write so a storage failure is reported.
 *
 * <p>Sessions are closed and pushes delivered only after the lock is released.
 */
final class Registry {

  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  private final BlockManager blocks;
  private final FabricConfig config;
  private final FabricStore store;
  private final Router router;
  private final Clock clock;
  private final Object lock = new Object();
  private final PoolDirectory pools;
  private final Map<String, AppRow> apps = new TreeMap<>();
  private final Map<String, FabricSession> live = new HashMap<>();
  private boolean closed;

  Registry(
      FabricConfig config,
      FabricStore store,
      Router router,
      BlockManager blocks,
      StoredState state) {
    this.config = config;
    this.blocks = blocks;
    this.store = store;
    this.router = router;
    this.clock = config.clock();
    this.pools = new PoolDirectory(config.maxPools());
    for (PoolRow created : pools.load(state.pools(), state.apps(), clock.millis())) {
      FabricStore.await(store.savePool(created));
    }
    pools.names().forEach(router::poolCreated);
    for (AppRow app : state.apps()) {
      if (!Names.isValidAppId(app.appId())) {
        LOG.warn("ignoring stored app with invalid id={}", app.appId());
        continue;
      }
      // Stored names are checked again, as upstream did, in case the file was edited.
      List<String> triggers = app.triggers().stream().filter(Names::isValidTriggerName).toList();
      List<String> existing = app.pools().stream().filter(pools::exists).toList();
      apps.put(
          app.appId(),
          new AppRow(
              app.appId(),
              existing,
              triggers,
              app.metadata(),
              app.protocolVersion(),
              app.registeredMs(),
              app.lastSeenMs(),
              app.rehydrated()));
    }
  }

  FabricSession handshake(Handshake handshake, Delivery delivery) {
    HandshakeCheck.Checked checked = HandshakeCheck.check(handshake);
    FabricSession session;
    FabricSession replaced;
    synchronized (lock) {
      requireOpen();
      String appId = checked.appId();
      AppRow known = apps.get(appId);
      boolean rehydrating =
          known != null && (handshake.rehydrate() || checked.triggers().isEmpty());
      List<String> poolNames = memberships(known, checked, rehydrating);
      List<String> triggers =
          rehydrating ? union(known.triggers(), checked.triggers()) : checked.triggers();
      List<PoolRow> toCreate = poolsToCreate(appId, poolNames);
      for (String pool : poolNames) {
        if (pools.exists(pool)) {
          pools.checkJoin(
              pool,
              appId,
              handshake.credentials().getOrDefault(pool, Map.of()),
              config.poolAccessPolicy(),
              live::containsKey);
        }
      }
      // Nothing below fails: the handshake takes effect as a whole.
      long nowMs = clock.millis();
      for (PoolRow row : toCreate) {
        pools.add(row);
        router.poolCreated(row.name());
        store.savePool(row);
        LOG.info("pool {} auto-created by the handshake of {}", row.name(), appId);
      }
      pools.setMembership(appId, known == null ? List.of() : known.pools(), poolNames);
      JsonNode metadata =
          rehydrating && handshake.metadata().isEmpty() ? known.metadata() : handshake.metadata();
      AppRow row =
          new AppRow(
              appId,
              poolNames,
              triggers,
              metadata,
              handshake.protocolVersion(),
              known == null ? nowMs : known.registeredMs(),
              nowMs,
              rehydrating);
      apps.put(appId, row);
      store.saveApp(row);
      Endpoint endpoint =
          router.newEndpoint(appId, delivery, Set.copyOf(poolNames), Set.copyOf(triggers));
      session =
          new FabricSession(
              this,
              router,
              endpoint,
              delivery,
              poolNames,
              triggers,
              rehydrating,
              blocks,
              handshake.credentials());
      replaced = live.put(appId, session);
      router.bind(endpoint);
      if (replaced != null) {
        // Every close claims the session under this lock and takes it out of live, so a session
        // still in live is unclaimed.
        replaced.markClosed();
      }
    }
    if (replaced != null) {
      router.close(replaced.endpoint());
      replaced.memory().release();
      notifyClosed(replaced, FabricError.SESSION_REPLACED, "a newer session took app id over");
    }
    return session;
  }

  /**
   * Closes a session: unbinds it if it is still the live one, records when the app was last seen,
   * then fails its calls. {@code reason} is pushed to its delivery unless {@code null}.
   */
  void closeSession(FabricSession session, FabricError reason, String message) {
    synchronized (lock) {
      if (!session.markClosed()) {
        return;
      }
      unbindLocked(session);
    }
    router.close(session.endpoint());
    session.memory().release();
    if (reason != null) {
      notifyClosed(session, reason, message);
    }
  }

  /** Closes every session (each told {@link FabricError#SERVICE_UNAVAILABLE}); refuses new ones. */
  void closeAll() {
    List<FabricSession> sessions = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      for (FabricSession session : new ArrayList<>(live.values())) {
        if (session.markClosed()) {
          unbindLocked(session);
          sessions.add(session);
        }
      }
    }
    for (FabricSession session : sessions) {
      router.close(session.endpoint());
      session.memory().release();
    }
    for (FabricSession session : sessions) {
      notifyClosed(session, FabricError.SERVICE_UNAVAILABLE, "the fabric is shutting down");
    }
  }

  PoolInfo createPool(PoolSpec spec, String actingAppId) {
    synchronized (lock) {
      requireOpen();
      PoolSpec effective = spec;
      if (actingAppId != null) {
        if (!config.autoCreatePools() && !isAdmin(actingAppId)) {
          throw new FabricException(
              FabricError.ACCESS_DENIED,
              "app " + actingAppId + " may not create pools: only fabric admins may");
        }
        if (spec.owners().isEmpty()) {
          effective = spec.withOwners(List.of(actingAppId));
        }
      }
      TripleKey issued = null;
      if (effective.type() == PoolType.ENCRYPTED && effective.securityBlob() == null) {
        // Validates the spec before keys exist. The keys go to the creator once; the fabric keeps
        // only their verifiers.
        pools.prepareCreate(effective, clock.millis());
        PoolVerifiers.Provisioned provisioned = PoolVerifiers.provision(effective.name());
        issued = provisioned.keys();
        effective = effective.withSecurityBlob(provisioned.verifiers().toStoredForm());
      }
      PoolRow row = pools.prepareCreate(effective, clock.millis());
      awaitStore(store.savePool(row), "storing pool " + row.name());
      pools.add(row);
      router.poolCreated(row.name());
      PoolInfo info = pools.info(row.name(), live::containsKey);
      return issued == null ? info : info.withIssuedKeys(issued);
    }
  }

  void deletePool(String name, String actingAppId) {
    synchronized (lock) {
      requireOpen();
      pools.checkDeletable(name, live::containsKey);
      if (actingAppId != null && !isAdmin(actingAppId) && !pools.mayDelete(name, actingAppId)) {
        throw new FabricException(
            FabricError.ACCESS_DENIED,
            "app " + actingAppId + " neither owns pool " + name + " nor is its admin");
      }
      awaitStore(store.deletePool(name), "deleting pool " + name);
      router.poolDeleted(name);
      for (String member : pools.remove(name)) {
        AppRow app = apps.get(member);
        if (app != null) {
          apps.put(
              member, withPools(app, app.pools().stream().filter(p -> !p.equals(name)).toList()));
        }
      }
    }
  }

  List<PoolInfo> listPools() {
    synchronized (lock) {
      return pools.list(live::containsKey);
    }
  }

  PoolInfo inspectPool(String name) {
    synchronized (lock) {
      return pools.info(name, live::containsKey);
    }
  }

  List<AppInfo> apps() {
    synchronized (lock) {
      List<AppInfo> infos = new ArrayList<>(apps.size());
      for (AppRow app : apps.values()) {
        infos.add(
            new AppInfo(
                app.appId(),
                live.containsKey(app.appId()),
                app.pools(),
                app.triggers(),
                app.metadata(),
                app.protocolVersion(),
                app.registeredMs(),
                app.lastSeenMs(),
                app.rehydrated()));
      }
      return infos;
    }
  }

  FabricStatus status() {
    int poolCount;
    int known;
    int liveCount;
    synchronized (lock) {
      poolCount = pools.size();
      known = apps.size();
      liveCount = live.size();
    }
    return new FabricStatus(
        poolCount,
        known,
        liveCount,
        router.outstandingCalls(),
        router.callsAccepted(),
        router.callsRejected(),
        router.callsSucceeded(),
        router.callsFailedByHandler(),
        router.callsTimedOut(),
        router.callsHandlerGone(),
        router.emitsDelivered(),
        router.deliveryFailures(),
        store.failedWrites(),
        store.backups().size());
  }

  void requireAdmin(String appId) {
    if (!isAdmin(appId)) {
      throw new FabricException(
          FabricError.ACCESS_DENIED, "app " + appId + " is not a fabric admin");
    }
  }

  boolean isAdmin(String appId) {
    return config.adminAppIds().contains(appId);
  }

  private void requireOpen() {
    if (closed) {
      throw new FabricException(FabricError.SERVICE_UNAVAILABLE, "the fabric is closed");
    }
  }

  private void unbindLocked(FabricSession session) {
    String appId = session.appId();
    if (live.get(appId) != session) {
      return; // already replaced: the newer session owns the app's registration
    }
    live.remove(appId);
    router.unbind(session.endpoint());
    long nowMs = clock.millis();
    AppRow app = apps.get(appId);
    apps.put(
        appId,
        new AppRow(
            appId,
            app.pools(),
            app.triggers(),
            app.metadata(),
            app.protocolVersion(),
            app.registeredMs(),
            nowMs,
            app.rehydrated()));
    store.touchApp(appId, nowMs);
  }

  /**
   * The pools the session joins. A rehydration restores the stored pools and adds any the handshake
   * names; a registration takes the handshake's, or {@code default} when it names none.
   */
  private static List<String> memberships(
      AppRow known, HandshakeCheck.Checked checked, boolean rehydrating) {
    List<String> named = rehydrating ? union(known.pools(), checked.pools()) : checked.pools();
    return named.isEmpty() ? List.of(PoolDirectory.DEFAULT_POOL) : named;
  }

  /** The unknown pools to auto-create, or a refusal when the fabric does not auto-create. */
  private List<PoolRow> poolsToCreate(String appId, List<String> poolNames) {
    List<PoolRow> rows = new ArrayList<>();
    for (String pool : poolNames) {
      if (pools.exists(pool)) {
        continue;
      }
      if (!config.autoCreatePools()) {
        throw new FabricException(
            FabricError.POOL_NOT_FOUND,
            "pool name=" + pool + " does not exist and this fabric does not auto-create pools");
      }
      if (pools.size() + rows.size() >= config.maxPools()) {
        throw new FabricException(
            FabricError.LIMIT_REACHED,
            "cannot auto-create pool " + pool + ": maxPools=" + config.maxPools() + " reached");
      }
      rows.add(
          pools.prepareCreate(
              PoolSpec.builder(pool)
                  .owners(appId)
                  .description("auto-created by the handshake of " + appId)
                  .build(),
              clock.millis()));
    }
    return rows;
  }

  private void notifyClosed(FabricSession session, FabricError reason, String message) {
    try {
      session.delivery().onClosed(reason, message);
    } catch (RuntimeException e) {
      LOG.warn("telling {} it closed failed: {}", session, e.toString());
    }
  }

  private static void awaitStore(CompletableFuture<?> write, String what) {
    try {
      FabricStore.await(write);
    } catch (StoreException e) {
      throw new FabricException(
          FabricError.STORAGE_FAILURE, what + " failed: " + e.getMessage(), e);
    }
  }

  private static AppRow withPools(AppRow app, List<String> newPools) {
    return new AppRow(
        app.appId(),
        newPools,
        app.triggers(),
        app.metadata(),
        app.protocolVersion(),
        app.registeredMs(),
        app.lastSeenMs(),
        app.rehydrated());
  }

  private static List<String> union(List<String> first, List<String> second) {
    Set<String> merged = new LinkedHashSet<>(first);
    merged.addAll(second);
    return List.copyOf(merged);
  }
}
