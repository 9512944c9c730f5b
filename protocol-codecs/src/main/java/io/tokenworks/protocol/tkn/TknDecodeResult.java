package io.tokenworks.protocol.tkn;

import io.tokenworks.protocol.DecodeOutcome;

/**
 * Outcome of {@link TknFrameDecoder#decode}. Only {@link #PAYLOAD_TOO_LARGE} closes the connection;
 * every other error is reported once the whole frame has arrived, with {@link
 * TknFrameDecoder#frameLength()} giving the bytes to skip, so the stream stays in sync.
 *
 * <p>TKN v1 has no error reply (upstream's server only ever writes {@code <sessionId>: ack}), so
 * unlike TAU these results carry no status code; a server counts them.
 */
public enum TknDecodeResult implements DecodeOutcome {
  /** Not enough bytes for a whole frame yet; nothing was consumed. */
  NEED_MORE(false),
  /** A whole, valid frame: read it through {@link TknFrameDecoder#frame()}. */
  FRAME(false),
  /**
   * The type byte is no TKN v1 type. Upstream logs and skips such a frame, payload included, so
   * this does not close: skip {@link TknFrameDecoder#frameLength()} bytes.
   */
  UNKNOWN_TYPE(false),
  /**
   * The declared payload length exceeds the decoder's limit. Decided from the header alone: the
   * payload is never buffered, and since it cannot be skipped cheaply the connection closes.
   */
  PAYLOAD_TOO_LARGE(true),
  /** A BATCH frame with an empty payload, which upstream's client never sends. */
  EMPTY_BATCH(false),
  /** A batch item of type BATCH. Upstream's server would recurse; we refuse the frame. */
  NESTED_BATCH(false),
  /**
   * A batch item's header or payload runs past the end of the batch payload. The {@link
   * TknFrameDecoder#validItemCount()} items before it are well-formed and can be read through
   * {@link TknFrameDecoder#batchItems()}, as upstream processes them.
   */
  BATCH_ITEM_TRUNCATED(false),
  /** A batch item whose type byte is no TKN v1 type. */
  BATCH_ITEM_UNKNOWN_TYPE(false);

  private final boolean closesConnection;

  TknDecodeResult(boolean closesConnection) {
    this.closesConnection = closesConnection;
  }

  /**
   * Whether this error concerns one item of a BATCH frame ({@link #NESTED_BATCH}, {@link
   * #BATCH_ITEM_TRUNCATED}, {@link #BATCH_ITEM_UNKNOWN_TYPE}); the items before that one are
   * available.
   */
  public boolean isBatchItemError() {
    return this == NESTED_BATCH || this == BATCH_ITEM_TRUNCATED || this == BATCH_ITEM_UNKNOWN_TYPE;
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
