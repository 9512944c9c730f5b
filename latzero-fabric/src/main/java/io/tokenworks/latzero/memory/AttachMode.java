package io.tokenworks.latzero.memory;

import java.util.Locale;

/** How a session attaches a block: to read it, or to read and write it. */
public enum AttachMode {
  /** Needs the block's read permission; allows reads and subscriptions. */
  READ,
  /** Needs the block's write permission; allows writes and locks too. */
  WRITE;

  /** The mode named {@code read} or {@code write} on the wire. */
  public static AttachMode fromWire(String name) {
    if (name != null) {
      for (AttachMode mode : values()) {
        if (mode.name().toLowerCase(Locale.ROOT).equals(name)) {
          return mode;
        }
      }
    }
    throw new MemoryException(
        MemoryError.INVALID_ARGUMENT, "mode=" + name + " must be read or write");
  }
}
