package io.tokenworks.protocol.tkn;

import io.tokenworks.protocol.DecodeOutcome;

/**
 * Outcome of {@link TknControlDecoder#decode}. Only {@link #PAYLOAD_TOO_LARGE} loses the frame
 * boundary; every other error is reported once the whole frame has arrived, with {@link
 * TknControlDecoder#frameLength()} giving the bytes to skip. Whether the session survives is the
 * protocol's decision, not the codec's: a server answers a bad HELLO with the fatal {@link
 * TknErrorCode#BAD_HELLO} whatever the result.
 */
public enum TknControlResult implements DecodeOutcome {
  /** Not enough bytes for a whole frame yet; nothing was consumed. */
  NEED_MORE,
  /** A whole, valid control frame: read it through the decoder's accessors. */
  FRAME,
  /**
   * The type byte is no control type, e.g. a v1 data frame; nothing was consumed and it is no
   * error: hand the bytes to {@link TknFrameDecoder}.
   */
  NOT_CONTROL,
  /**
   * The declared payload length exceeds what the type's layout allows. Decided from the header
   * alone; the payload is never buffered.
   */
  PAYLOAD_TOO_LARGE,
  /**
   * The payload length does not fit the layout: too short for the fixed fields, or not equal to
   * what the inner length fields add up to.
   */
  LENGTH_MISMATCH,
  /** A HELLO whose first four bytes are not {@code "TKNH"}. */
  BAD_MAGIC,
  /** A HELLO or READY of a version other than {@link TknHelloDescriptor#VERSION}. */
  UNSUPPORTED_VERSION,
  /** A HELLO with reserved flag bits set. */
  RESERVED_FLAGS,
  /** A HELLO whose tenant is longer than 64 bytes or has a byte outside {@code [A-Za-z0-9._-]}. */
  BAD_TENANT,
  /** A HELLO whose auth token is longer than 1024 bytes. */
  TOKEN_TOO_LONG,
  /** A READY whose session id has a byte outside printable ASCII. */
  BAD_SESSION_ID;

  @Override
  public boolean needsMoreBytes() {
    return this == NEED_MORE;
  }

  @Override
  public boolean isFrame() {
    return this == FRAME;
  }

  @Override
  public boolean isError() {
    return this != NEED_MORE && this != FRAME && this != NOT_CONTROL;
  }

  @Override
  public boolean closesConnection() {
    return this == PAYLOAD_TOO_LARGE;
  }
}
