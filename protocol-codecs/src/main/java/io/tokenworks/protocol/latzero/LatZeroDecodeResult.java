package io.tokenworks.protocol.latzero;

import io.tokenworks.protocol.DecodeOutcome;

/**
 * Outcome of {@link LatZeroFrameDecoder#decode}: framing only. Whether the body is valid JSON with
 * a {@code type} is {@link LatZeroMessageCodec}'s question, asked once a {@link #FRAME} is whole.
 */
public enum LatZeroDecodeResult implements DecodeOutcome {
  /** Not enough bytes for a whole frame yet; nothing was consumed. */
  NEED_MORE(false),
  /**
   * A whole frame: its body is at {@link LatZeroFrameDecoder#payloadOffset()} for {@link
   * LatZeroFrameDecoder#payloadLength()} bytes.
   */
  FRAME(false),
  /**
   * The declared length exceeds the decoder's limit. Decided from the prefix alone (or from its
   * first bytes, once they prove the length too large), so the body is neither allocated nor
   * buffered. Skipping it would mean reading up to 4 GiB from a peer that already broke the
   * protocol, so the server sends an error frame and then closes. Upstream kept such sockets open
   * and unsynchronised.
   */
  FRAME_TOO_LARGE(true),
  /**
   * The declared length is zero, and no JSON text is empty. The 4-byte frame is whole and {@link
   * LatZeroFrameDecoder#frameLength()} says how many bytes to skip, so the stream stays in sync:
   * the server answers with an error frame and keeps the connection.
   */
  EMPTY_FRAME(false);

  private final boolean closesConnection;

  LatZeroDecodeResult(boolean closesConnection) {
    this.closesConnection = closesConnection;
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
