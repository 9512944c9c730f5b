package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.HEADER_LENGTH;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes one BATCH frame into a caller-owned buffer, item by item, in upstream's interleaved layout
 * (see {@link TknFrameDescriptor}): {@link #wrap} at an offset, add items, then {@link #finish()}
 * writes the outer header and returns the frame's length. Reusable across batches and
 * allocation-free per item.
 *
 * <pre>{@code
 * int length = batch.wrap(buffer, 0).addString("a").addString("b").finish();
 * }</pre>
 *
 * <p>Items are JSON, STRING or BINARY only: there is deliberately no way to add a BATCH, since
 * upstream's client forbids nested batches. The caller makes sure the buffer has room, as for
 * {@link TknFrameEncoder}. Not thread-safe.
 */
public final class TknBatchEncoder {

  private MutableDirectBuffer buffer;
  private int offset;
  private int position;
  private int itemCount;

  /** Starts a new batch at {@code offset}; nothing is written until the first item. */
  public TknBatchEncoder wrap(MutableDirectBuffer buffer, int offset) {
    this.buffer = buffer;
    this.offset = offset;
    this.position = offset + HEADER_LENGTH;
    this.itemCount = 0;
    return this;
  }

  /** Appends a STRING item carrying {@code text} as UTF-8. */
  public TknBatchEncoder addString(CharSequence text) {
    return advance(TknFrameEncoder.string(buffer, position, text));
  }

  /** Appends a BINARY item carrying {@code length} bytes of {@code source}. */
  public TknBatchEncoder addBinary(DirectBuffer source, int sourceOffset, int length) {
    return advance(TknFrameEncoder.binary(buffer, position, source, sourceOffset, length));
  }

  /** Appends a BINARY item carrying {@code bytes}. */
  public TknBatchEncoder addBinary(byte[] bytes) {
    return advance(TknFrameEncoder.binary(buffer, position, bytes));
  }

  /** Appends a JSON item carrying {@code utf8Json}, unparsed. */
  public TknBatchEncoder addJson(byte[] utf8Json) {
    return advance(TknFrameEncoder.json(buffer, position, utf8Json));
  }

  /** Appends a JSON item carrying {@code length} bytes of UTF-8 JSON from {@code source}. */
  public TknBatchEncoder addJson(DirectBuffer source, int sourceOffset, int length) {
    return advance(TknFrameEncoder.json(buffer, position, source, sourceOffset, length));
  }

  /** Items added since {@link #wrap}. */
  public int itemCount() {
    return itemCount;
  }

  /** Length of the frame so far, outer header included. */
  public int length() {
    return position - offset;
  }

  /**
   * Writes the outer header and returns the length of the whole BATCH frame.
   *
   * @throws IllegalArgumentException when no item was added: upstream's client never sends an empty
   *     batch and {@link TknFrameDecoder} rejects one
   */
  public int finish() {
    if (itemCount == 0) {
      throw new IllegalArgumentException("itemCount=0: a BATCH needs at least one item");
    }
    TknFrameEncoder.header(buffer, offset, TknFrameType.BATCH, position - offset - HEADER_LENGTH);
    return position - offset;
  }

  private TknBatchEncoder advance(int itemLength) {
    position += itemLength;
    itemCount++;
    return this;
  }
}
