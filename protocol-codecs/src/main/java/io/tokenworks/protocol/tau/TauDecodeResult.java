package io.tokenworks.protocol.tau;

import io.tokenworks.protocol.DecodeOutcome;

/**
 * Outcome of {@link TauFrameDecoder#decode}. Each error names the {@link TauStatus} a server
 * answers with and whether the connection must then close (the header is unusable) or may go on
 * (the frame was skipped whole).
 */
public enum TauDecodeResult implements DecodeOutcome {
  /** Not enough bytes for a whole frame yet; nothing was consumed. */
  NEED_MORE(null, false),
  /** A whole, valid frame: read it through {@link TauFrameDecoder#frame()}. */
  FRAME(null, false),
  /** The first three bytes are not {@code TAU}. */
  BAD_MAGIC(TauStatus.BAD_MAGIC, true),
  /** The version byte is not 0x01. */
  BAD_VERSION(TauStatus.BAD_VERSION, true),
  /** The opcode byte is no TAU opcode (v1 or extension). */
  BAD_OPCODE(TauStatus.BAD_OPCODE, true),
  /** The declared payload length exceeds the decoder's limit; the payload is not read. */
  PAYLOAD_TOO_LARGE(TauStatus.PAYLOAD_TOO_LARGE, true),
  /**
   * The payload length is wrong for the opcode (for APPEND_BATCH: not {@code 36 + 16 x count}). The
   * whole frame has arrived and {@link TauFrameDecoder#frameLength()} says how many bytes to skip;
   * the stream stays in sync.
   */
  BAD_LENGTH_FOR_OPCODE(TauStatus.INVALID_PAYLOAD, false);

  private final TauStatus status;
  private final boolean closesConnection;

  TauDecodeResult(TauStatus status, boolean closesConnection) {
    this.status = status;
    this.closesConnection = closesConnection;
  }

  /**
   * The status to answer this error with, or {@code null} for {@link #NEED_MORE} and {@link
   * #FRAME}.
   */
  public TauStatus status() {
    return status;
  }

  @Override
  public boolean needsMoreBytes() {
    return this == NEED_MORE;
  }

  @Override
  public boolean isFrame() {
    return this == FRAME;
  }

  @Override
  public boolean closesConnection() {
    return closesConnection;
  }
}
