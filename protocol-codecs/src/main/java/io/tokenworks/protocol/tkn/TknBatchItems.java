package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.BATCH_ITEM_HEADER_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.TYPE_OFFSET;

import org.agrona.DirectBuffer;

/**
 * A cursor over the items of a BATCH payload, read in place. Nothing is allocated per item: call
 * {@link #next()} and, while it returns {@code true}, read the current item's {@link #type()},
 * {@link #payloadOffset()} and {@link #payloadLength()}.
 *
 * <pre>{@code
 * TknBatchItems items = decoder.batchItems();
 * while (items.next()) {
 *   mine(items.type(), items.buffer(), items.payloadOffset(), items.payloadLength());
 * }
 * }</pre>
 *
 * <p>The cursor never reads outside the region it wraps and never throws for bad bytes: it stops
 * before an item whose header or payload does not fit. It does not judge item types, so over an
 * unchecked region it may yield unknown types ({@link #type()} is {@code null}) or a nested BATCH;
 * over what {@link TknFrameDecoder} returns it yields only well-formed JSON, STRING and BINARY
 * items. Like {@link TknFrame} it does not own the buffer.
 */
public final class TknBatchItems {

  private DirectBuffer buffer;
  private int start;
  private int end;
  private int next;
  private int itemOffset;
  private int itemPayloadLength;
  private int index;

  /** Points the cursor before the first item of the items packed in {@code [offset, +length)}. */
  public TknBatchItems wrap(DirectBuffer buffer, int offset, int length) {
    this.buffer = buffer;
    this.start = offset;
    this.end = offset + length;
    return rewind();
  }

  /** Points the cursor before the first item of a BATCH frame's payload. */
  public TknBatchItems wrap(TknFrame batch) {
    return wrap(batch.buffer(), batch.payloadOffset(), batch.payloadLength());
  }

  /** Moves the cursor back before the first item. */
  public TknBatchItems rewind() {
    next = start;
    itemOffset = -1;
    itemPayloadLength = 0;
    index = -1;
    return this;
  }

  /**
   * Advances to the next item.
   *
   * @return {@code false} at the end of the region or before an item that does not fit in it
   */
  public boolean next() {
    int remaining = end - next;
    if (remaining < BATCH_ITEM_HEADER_LENGTH) {
      return false;
    }
    long payloadLength = buffer.getInt(next + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    if (payloadLength > remaining - BATCH_ITEM_HEADER_LENGTH) {
      return false;
    }
    itemOffset = next;
    itemPayloadLength = (int) payloadLength;
    next += BATCH_ITEM_HEADER_LENGTH + itemPayloadLength;
    index++;
    return true;
  }

  public DirectBuffer buffer() {
    return buffer;
  }

  /** Zero-based position of the current item in the batch. */
  public int index() {
    return index;
  }

  /** The current item's type, or {@code null} when its type byte is no TKN v1 type. */
  public TknFrameType type() {
    return TknFrameType.fromCode(typeCode());
  }

  /** The current item's type byte as sent, 0..255. */
  public int typeCode() {
    return buffer.getByte(itemOffset + TYPE_OFFSET) & 0xFF;
  }

  /** Offset in {@link #buffer()} of the current item's header. */
  public int itemOffset() {
    return itemOffset;
  }

  /** Offset in {@link #buffer()} of the current item's payload. */
  public int payloadOffset() {
    return itemOffset + BATCH_ITEM_HEADER_LENGTH;
  }

  public int payloadLength() {
    return itemPayloadLength;
  }

  /**
   * The current item's payload decoded as UTF-8 (malformed bytes become U+FFFD). Allocates: not for
   * hot paths.
   */
  public String string() {
    return buffer.getStringWithoutLengthUtf8(payloadOffset(), itemPayloadLength);
  }
}
