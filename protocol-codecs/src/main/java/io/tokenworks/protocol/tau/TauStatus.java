package io.tokenworks.protocol.tau;

import java.util.Locale;

/**
 * The one-byte status an {@code ERR} frame carries: codes 0x00..0x0D as in TAU v1, plus the
 * Tokenworks extension {@link #BUSY} (0x0E), which replaces upstream's misleading 0x0A/0x07 for an
 * overloaded server.
 */
public enum TauStatus {
  SUCCESS(0x00),
  BAD_MAGIC(0x01),
  BAD_VERSION(0x02),
  BAD_OPCODE(0x03),
  PAYLOAD_TOO_LARGE(0x04),
  NOT_AUTHENTICATED(0x05),
  AUTH_FAILED(0x06),
  SERIES_NOT_FOUND(0x07),
  SERIES_ALREADY_EXISTS(0x08),
  INVALID_PAYLOAD(0x09),
  INTERNAL_ERROR(0x0A),
  OUT_OF_ORDER(0x0B),
  LENS_NOT_FOUND(0x0C),
  LENS_ALREADY_EXISTS(0x0D),
  /**
   * Extension: a bounded queue is full (a series mailbox, pending WAL bytes); nothing was applied,
   * retry later.
   */
  BUSY(0x0E);

  private static final TauStatus[] BY_CODE = new TauStatus[256];

  static {
    for (TauStatus status : values()) {
      BY_CODE[status.code] = status;
    }
  }

  private final int code;
  private final String wireName;

  TauStatus(int code) {
    this.code = code;
    this.wireName = name().toLowerCase(Locale.ROOT);
  }

  /** The status byte. */
  public int code() {
    return code;
  }

  /** The name upstream tools print, e.g. {@code series_not_found}. */
  public String wireName() {
    return wireName;
  }

  /** The status for a byte, or {@code null} when the byte is no known status. */
  public static TauStatus fromCode(int code) {
    return BY_CODE[code & 0xFF];
  }
}
