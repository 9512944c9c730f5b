package io.tokenworks.latzero.pool;

import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.FabricException;
import java.util.Locale;

/** What kind of pool it is, with its wire name. */
public enum PoolType {
  /** A pool on this fabric only. */
  LOCAL("local"),
  /**
   * A pool whose members must satisfy the {@link PoolAccessPolicy} (the triple-key model) to join.
   */
  ENCRYPTED("encrypted"),
  /**
   * Spanning several fabrics. Not supported: creating one fails with {@link
   * FabricError#UNSUPPORTED_POOL_TYPE}; global pools will be built on the TokenStream mesh.
   */
  GLOBAL("global");

  private final String wireName;

  PoolType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * The type with that wire name, ignoring case.
   *
   * @throws FabricException with {@link FabricError#VALIDATION_ERROR} for an unknown name
   */
  public static PoolType fromWireName(String name) {
    if (name != null) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (PoolType type : values()) {
        if (type.wireName.equals(lower)) {
          return type;
        }
      }
    }
    throw new FabricException(
        FabricError.VALIDATION_ERROR,
        "pool type=" + name + " is not one of local, encrypted, global");
  }
}
