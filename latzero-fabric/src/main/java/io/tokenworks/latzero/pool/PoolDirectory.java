package io.tokenworks.latzero.pool;

import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.FabricException;
import io.tokenworks.latzero.Names;
import io.tokenworks.latzero.store.AppRow;
import io.tokenworks.latzero.store.PoolRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools a fabric holds and which apps belong to each, in memory. The fabric mirrors every
 * change to the store itself; this class only decides and records. Not thread-safe: the fabric uses
 * it under its registry lock.
 */
public final class PoolDirectory {

  /** The pool every app joins when it names none; it always exists. */
  public static final String DEFAULT_POOL = "default";

  /** The second pool that always exists (upstream's). */
  public static final String SYSTEM_POOL = "system";

  /** Longer descriptions are a {@link FabricError#VALIDATION_ERROR}. */
  public static final int MAX_DESCRIPTION_LENGTH = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(PoolDirectory.class);

  private final Map<String, Pool> pools = new TreeMap<>();
  private final int maxPools;

  public PoolDirectory(int maxPools) {
    this.maxPools = maxPools;
  }

  /**
   * Loads the stored pools and memberships, and creates {@code default} and {@code system} when
   * missing.
   *
   * @return the rows of the pools it had to create, for the caller to store
   */
  public List<PoolRow> load(List<PoolRow> storedPools, List<AppRow> storedApps, long nowMs) {
    for (PoolRow row : storedPools) {
      PoolType type;
      try {
        type = PoolType.fromWireName(row.type());
      } catch (FabricException e) {
        type = null;
      }
      if (type == null || type == PoolType.GLOBAL) {
        LOG.warn("skipping stored pool name={}: unsupported type={}", row.name(), row.type());
        continue;
      }
      pools.put(row.name(), new Pool(row, type));
    }
    for (AppRow app : storedApps) {
      for (String pool : app.pools()) {
        Pool entry = pools.get(pool);
        if (entry != null) {
          entry.members.add(app.appId());
        }
      }
    }
    List<PoolRow> created = new ArrayList<>();
    for (String name : List.of(DEFAULT_POOL, SYSTEM_POOL)) {
      if (!pools.containsKey(name)) {
        PoolRow row =
            toRow(PoolSpec.builder(name).description("built-in " + name + " pool").build(), nowMs);
        add(row);
        created.add(row);
      }
    }
    return created;
  }

  public boolean exists(String name) {
    return name != null && pools.containsKey(name);
  }

  public Set<String> names() {
    return Set.copyOf(pools.keySet());
  }

  public int size() {
    return pools.size();
  }

  /**
   * Checks that {@code spec} may be created and returns its row, changing nothing.
   *
   * @throws FabricException VALIDATION_ERROR (bad name, owner or description),
   *     UNSUPPORTED_POOL_TYPE (global), POOL_EXISTS or LIMIT_REACHED
   */
  public PoolRow prepareCreate(PoolSpec spec, long nowMs) {
    if (!Names.isValidPoolName(spec.name())) {
      throw new FabricException(
          FabricError.VALIDATION_ERROR,
          "pool name=" + spec.name() + " must be 1-64 characters of [A-Za-z0-9._-]");
    }
    if (spec.type() == PoolType.GLOBAL) {
      throw new FabricException(
          FabricError.UNSUPPORTED_POOL_TYPE,
          "pool type=global is not supported: global pools will be built on the TokenStream mesh");
    }
    for (String owner : spec.owners()) {
      if (!Names.isValidAppId(owner)) {
        throw new FabricException(
            FabricError.VALIDATION_ERROR, "pool owner=" + owner + " is not an app id");
      }
    }
    if (spec.description().length() > MAX_DESCRIPTION_LENGTH) {
      throw new FabricException(
          FabricError.VALIDATION_ERROR,
          "pool description is " + spec.description().length() + " characters, over 1024");
    }
    if (exists(spec.name())) {
      throw new FabricException(
          FabricError.POOL_EXISTS, "pool name=" + spec.name() + " exists already");
    }
    if (pools.size() >= maxPools) {
      throw new FabricException(
          FabricError.LIMIT_REACHED, "the fabric holds maxPools=" + maxPools + " pools already");
    }
    return toRow(spec, nowMs);
  }

  /** Adds a pool whose row {@link #prepareCreate} returned (and the caller stored). */
  public void add(PoolRow row) {
    pools.put(row.name(), new Pool(row, PoolType.fromWireName(row.type())));
  }

  /**
   * Checks that {@code name} may be deleted now.
   *
   * @param isLive whether an app has a live session
   * @throws FabricException POOL_PROTECTED, POOL_NOT_FOUND or POOL_IN_USE (naming the live members)
   */
  public void checkDeletable(String name, Predicate<String> isLive) {
    if (DEFAULT_POOL.equals(name) || SYSTEM_POOL.equals(name)) {
      throw new FabricException(
          FabricError.POOL_PROTECTED, "pool name=" + name + " is built in and cannot be deleted");
    }
    Pool pool = require(name);
    List<String> live = pool.members.stream().filter(isLive).toList();
    if (!live.isEmpty()) {
      throw new FabricException(
          FabricError.POOL_IN_USE, "pool name=" + name + " has live members " + live);
    }
  }

  /** Whether {@code appId} owns pool {@code name} or its admin policy allows it. */
  public boolean mayDelete(String name, String appId) {
    Pool pool = require(name);
    return pool.owners.contains(appId) || pool.policies.mayAdminister(appId);
  }

  /**
   * Removes a pool.
   *
   * @return the apps that were members (offline ones, as {@link #checkDeletable} allowed)
   */
  public Set<String> remove(String name) {
    Pool removed = pools.remove(name);
    return removed == null ? Set.of() : Set.copyOf(removed.members);
  }

  /**
   * Checks that {@code appId} may join pool {@code name}: its read policy must allow the app and,
   * for an encrypted pool, so must {@code accessPolicy}.
   *
   * @throws FabricException POOL_NOT_FOUND or ACCESS_DENIED
   */
  public void checkJoin(
      String name,
      String appId,
      Map<String, String> credentials,
      PoolAccessPolicy accessPolicy,
      Predicate<String> isLive) {
    Pool pool = require(name);
    if (!pool.policies.mayRead(appId)) {
      throw new FabricException(
          FabricError.ACCESS_DENIED,
          "app " + appId + " is not allowed by the read policy of pool " + name);
    }
    if (pool.type == PoolType.ENCRYPTED
        && !accessPolicy.mayJoin(info(pool, isLive), appId, credentials)) {
      throw new FabricException(
          FabricError.ACCESS_DENIED,
          "app " + appId + " did not present valid credentials for encrypted pool " + name);
    }
  }

  /** Moves {@code appId} out of the pools in {@code previous} and into those in {@code next}. */
  public void setMembership(String appId, Collection<String> previous, Collection<String> next) {
    for (String name : previous) {
      Pool pool = pools.get(name);
      if (pool != null && !next.contains(name)) {
        pool.members.remove(appId);
      }
    }
    for (String name : next) {
      require(name).members.add(appId);
    }
  }

  /**
   * @throws FabricException POOL_NOT_FOUND
   */
  public PoolInfo info(String name, Predicate<String> isLive) {
    return info(require(name), isLive);
  }

  /** Every pool, ordered by name. */
  public List<PoolInfo> list(Predicate<String> isLive) {
    List<PoolInfo> infos = new ArrayList<>(pools.size());
    for (Pool pool : pools.values()) {
      infos.add(info(pool, isLive));
    }
    return infos;
  }

  private Pool require(String name) {
    Pool pool = name == null ? null : pools.get(name);
    if (pool == null) {
      throw new FabricException(
          FabricError.POOL_NOT_FOUND, "pool name=" + name + " does not exist");
    }
    return pool;
  }

  private static PoolInfo info(Pool pool, Predicate<String> isLive) {
    List<String> members = List.copyOf(pool.members);
    return new PoolInfo(
        pool.name,
        pool.type,
        pool.policies,
        pool.owners,
        pool.description,
        pool.securityBlob,
        pool.createdMs,
        pool.updatedMs,
        members,
        members.stream().filter(isLive).toList(),
        Optional.empty());
  }

  private static PoolRow toRow(PoolSpec spec, long nowMs) {
    return new PoolRow(
        spec.name(),
        spec.type().wireName(),
        spec.type() == PoolType.ENCRYPTED,
        spec.owners(),
        spec.policies().toMap(),
        spec.description(),
        spec.securityBlob(),
        nowMs,
        nowMs);
  }

  private static final class Pool {
    final String name;
    final PoolType type;
    final PoolPolicies policies;
    final List<String> owners;
    final String description;
    final String securityBlob;
    final long createdMs;
    final long updatedMs;
    final Set<String> members = new LinkedHashSet<>();

    Pool(PoolRow row, PoolType type) {
      this.name = row.name();
      this.type = type;
      this.policies = PoolPolicies.fromMap(row.policies());
      this.owners = row.owners();
      this.description = row.description();
      this.securityBlob = row.securityBlob();
      this.createdMs = row.createdMs();
      this.updatedMs = row.updatedMs();
    }
  }
}
