package io.tokenworks.latzero.memory;

import java.util.Locale;

/**
 * Upstream's block types. A label for clients: the manager treats every type alike, and only the
 * {@code persistent} flag of {@link BlockManager#create} decides whether idle collection may remove
 * a block.
 */
public enum BlockType {
  SHARED,
  PERSISTENT,
  ENCRYPTED,
  TEMPORARY,
  JSON,
  BINARY,
  STREAM;

  /** The lower-case name upstream uses on the wire and in its database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code name} on the wire, e.g. {@code shared}. */
  public static BlockType fromWire(String name) {
    if (name != null) {
      for (BlockType type : values()) {
        if (type.wireName().equals(name)) {
          return type;
        }
      }
    }
    throw new MemoryException(
        MemoryError.INVALID_ARGUMENT,
        "type="
            + name
            + " must be one of shared, persistent, encrypted, temporary, json, binary,"
            + " stream");
  }
}
