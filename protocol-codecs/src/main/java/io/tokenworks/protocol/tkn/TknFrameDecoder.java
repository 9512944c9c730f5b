package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.BATCH_ITEM_HEADER_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.MAX_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.TYPE_OFFSET;

import org.agrona.DirectBuffer;

/**
 * Finds TKN v1 frames in a byte stream. Call {@link #decode} with everything received but not yet
 * consumed; it never throws for bad bytes, never reads past {@code offset + length}, allocates
 * nothing and keeps no reference to the buffer beyond its flyweights ({@link #frame()} and {@link
 * #batchItems()} are only valid until the buffer changes).
 *
 * <p>A payload length above the limit is rejected from the header alone: the payload is never
 * buffered. Every other check waits for the whole frame, so the caller can skip it and go on, as
 * upstream's server does. A BATCH is reported as a {@link TknDecodeResult#FRAME} only when every
 * item is well-formed, which the decoder checks in one pass over the item headers.
 *
 * <p>Not thread-safe: one decoder per connection.
 */
public final class TknFrameDecoder {

  private final int maxPayloadLength;
  private final TknFrame frame = new TknFrame();
  private final TknBatchItems batchItems = new TknBatchItems();
  private int typeCode;
  private int frameLength;
  private int validItemCount;
  private int validItemsLength;

  /**
   * A decoder that accepts payloads up to {@link TknFrameDescriptor#DEFAULT_MAX_PAYLOAD_LENGTH}.
   */
  public TknFrameDecoder() {
    this(DEFAULT_MAX_PAYLOAD_LENGTH);
  }

  /**
   * A decoder that rejects payloads longer than {@code maxPayloadLength} bytes.
   *
   * @throws IllegalArgumentException when the limit is negative or above {@link
   *     TknFrameDescriptor#MAX_PAYLOAD_LENGTH}
   */
  public TknFrameDecoder(int maxPayloadLength) {
    if (maxPayloadLength < 0 || maxPayloadLength > MAX_PAYLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "maxPayloadLength=" + maxPayloadLength + " must be in [0, " + MAX_PAYLOAD_LENGTH + "]");
    }
    this.maxPayloadLength = maxPayloadLength;
  }

  /** The largest payload this decoder accepts, in bytes. */
  public int maxPayloadLength() {
    return maxPayloadLength;
  }

  /**
   * Decodes the frame that starts at {@code offset}.
   *
   * @param buffer bytes received so far
   * @param offset where the next frame starts
   * @param length how many bytes from {@code offset} are available
   * @return {@link TknDecodeResult#FRAME} with {@link #frame()} and {@link #frameLength()} set,
   *     {@link TknDecodeResult#NEED_MORE} with {@link #frameLength()} set to the bytes needed, or
   *     an error
   */
  public TknDecodeResult decode(DirectBuffer buffer, int offset, int length) {
    typeCode = -1;
    validItemCount = 0;
    validItemsLength = 0;
    if (length < HEADER_LENGTH) {
      frameLength = HEADER_LENGTH;
      return TknDecodeResult.NEED_MORE;
    }
    long payloadLength = buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    if (payloadLength > maxPayloadLength) {
      frameLength = 0;
      return TknDecodeResult.PAYLOAD_TOO_LARGE;
    }
    typeCode = buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    frameLength = HEADER_LENGTH + (int) payloadLength;
    if (length < frameLength) {
      return TknDecodeResult.NEED_MORE;
    }
    frame.wrap(buffer, offset, frameLength);
    TknFrameType type = TknFrameType.fromCode(typeCode);
    if (type == null) {
      return TknDecodeResult.UNKNOWN_TYPE;
    }
    if (type == TknFrameType.BATCH) {
      return checkBatch(buffer, offset + HEADER_LENGTH, (int) payloadLength);
    }
    return TknDecodeResult.FRAME;
  }

  /**
   * Walks the item headers of a whole BATCH payload, stopping at the first bad item; the items
   * before it become the valid prefix that {@link #batchItems()} iterates.
   */
  private TknDecodeResult checkBatch(DirectBuffer buffer, int payloadOffset, int payloadLength) {
    if (payloadLength == 0) {
      return TknDecodeResult.EMPTY_BATCH;
    }
    int end = payloadOffset + payloadLength;
    int position = payloadOffset;
    TknDecodeResult result = TknDecodeResult.FRAME;
    while (position < end) {
      int remaining = end - position;
      // Bounds first: an item that runs past the batch has no trustworthy type either.
      if (remaining < BATCH_ITEM_HEADER_LENGTH) {
        result = TknDecodeResult.BATCH_ITEM_TRUNCATED;
        break;
      }
      long itemPayloadLength =
          buffer.getInt(position + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
      if (itemPayloadLength > remaining - BATCH_ITEM_HEADER_LENGTH) {
        result = TknDecodeResult.BATCH_ITEM_TRUNCATED;
        break;
      }
      TknFrameType itemType = TknFrameType.fromCode(buffer.getByte(position + TYPE_OFFSET));
      if (itemType == null) {
        result = TknDecodeResult.BATCH_ITEM_UNKNOWN_TYPE;
        break;
      }
      if (itemType == TknFrameType.BATCH) {
        result = TknDecodeResult.NESTED_BATCH;
        break;
      }
      position += BATCH_ITEM_HEADER_LENGTH + (int) itemPayloadLength;
      validItemCount++;
    }
    validItemsLength = position - payloadOffset;
    return result;
  }

  /**
   * The decoded frame; valid after {@link TknDecodeResult#FRAME} and after the errors that do not
   * close (so a caller can log what it skips), until the buffer changes.
   */
  public TknFrame frame() {
    return frame;
  }

  /**
   * A cursor over the well-formed items of the last BATCH decoded, rewound to the first item on
   * every call: all {@link #validItemCount()} items after {@link TknDecodeResult#FRAME}, the ones
   * before the offending item after a {@linkplain TknDecodeResult#isBatchItemError() batch item
   * error}, and none after any other result. Valid until the buffer changes.
   */
  public TknBatchItems batchItems() {
    return batchItems.wrap(frame.buffer(), frame.payloadOffset(), validItemsLength);
  }

  /**
   * How many well-formed items precede the end of the last BATCH decoded: all of them after {@link
   * TknDecodeResult#FRAME}, those before the offending item after a {@linkplain
   * TknDecodeResult#isBatchItemError() batch item error} (upstream processes the items before a
   * truncation), zero after any other result.
   */
  public int validItemCount() {
    return validItemCount;
  }

  /**
   * After {@link TknDecodeResult#FRAME} or an error that does not close: the bytes the frame
   * occupies, to consume or skip. After {@link TknDecodeResult#NEED_MORE}: the bytes needed before
   * the next call can make progress (the header, then the whole frame). Zero after {@link
   * TknDecodeResult#PAYLOAD_TOO_LARGE}.
   */
  public int frameLength() {
    return frameLength;
  }

  /**
   * The type of the last header decoded, or {@code null} when there was none or its byte is no TKN
   * v1 type (see {@link #typeCode()}). Set with every result but {@link
   * TknDecodeResult#PAYLOAD_TOO_LARGE} and a {@link TknDecodeResult#NEED_MORE} short of a header.
   */
  public TknFrameType type() {
    return typeCode < 0 ? null : TknFrameType.fromCode(typeCode);
  }

  /**
   * The type byte of the last header decoded, 0..255, or -1 when none was (as for {@link #type()});
   * lets a server log the unknown type it skips.
   */
  public int typeCode() {
    return typeCode;
  }
}
