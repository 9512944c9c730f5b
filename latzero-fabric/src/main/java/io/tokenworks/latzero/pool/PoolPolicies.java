package io.tokenworks.latzero.pool;

import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.FabricException;
import io.tokenworks.latzero.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may do what in a pool: each list holds app ids, or {@code "*"} for anyone. Joining needs
 * {@code read}; deleting the pool needs {@code admin} (or ownership). {@code write} and {@code
 * execute} are kept for the memory and security layers.
 */
public record PoolPolicies(
    List<String> read, List<String> write, List<String> execute, List<String> admin) {

  /** The entry that allows anyone. */
  public static final String ANYONE = "*";

  /** Upstream's defaults: anyone may read, write and execute; nobody administers. */
  public static final PoolPolicies DEFAULT =
      new PoolPolicies(List.of(ANYONE), List.of(ANYONE), List.of(ANYONE), List.of());

  /**
   * Checks every entry.
   *
   * @throws FabricException with {@link FabricError#VALIDATION_ERROR} for an entry that is neither
   *     {@code "*"} nor an app id
   */
  public PoolPolicies {
    read = checked("read", read);
    write = checked("write", write);
    execute = checked("execute", execute);
    admin = checked("admin", admin);
  }

  public boolean mayRead(String appId) {
    return allows(read, appId);
  }

  public boolean mayAdminister(String appId) {
    return allows(admin, appId);
  }

  /** The policies as policy name to entries, the form stored in {@code pool_metadata}. */
  public Map<String, List<String>> toMap() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put("read", read);
    map.put("write", write);
    map.put("execute", execute);
    map.put("admin", admin);
    return map;
  }

  /** The policies from their stored form; a missing policy takes its default. */
  public static PoolPolicies fromMap(Map<String, List<String>> map) {
    return new PoolPolicies(
        map.getOrDefault("read", DEFAULT.read),
        map.getOrDefault("write", DEFAULT.write),
        map.getOrDefault("execute", DEFAULT.execute),
        map.getOrDefault("admin", DEFAULT.admin));
  }

  private static boolean allows(List<String> entries, String appId) {
    return entries.contains(ANYONE) || entries.contains(appId);
  }

  private static List<String> checked(String policy, List<String> entries) {
    if (entries == null) {
      throw new FabricException(FabricError.VALIDATION_ERROR, "policy " + policy + " is missing");
    }
    for (String entry : entries) {
      if (!ANYONE.equals(entry) && !Names.isValidAppId(entry)) {
        throw new FabricException(
            FabricError.VALIDATION_ERROR,
            "policy " + policy + " entry=" + entry + " is neither \"*\" nor an app id");
      }
    }
    return List.copyOf(entries);
  }
}
