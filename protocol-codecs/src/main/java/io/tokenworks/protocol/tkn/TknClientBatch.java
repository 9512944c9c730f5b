package io.tokenworks.protocol.tkn;

import org.agrona.ExpandableArrayBuffer;

/**
 * Builds one BATCH frame for a {@link TknClient}: add items, then {@link #send()}. After a send the
 * builder is empty again and can be reused, which allocates nothing once its buffer has grown to
 * the largest batch. Not thread-safe: one builder per sending thread.
 *
 * <pre>{@code
 * TknClientBatch batch = client.batch();
 * long frame = batch.addString("a").addString("b").addBinary(bytes).send();
 * }</pre>
 */
public final class TknClientBatch {

  private final TknClient client;
  private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
  private final TknBatchEncoder encoder = new TknBatchEncoder();

  TknClientBatch(TknClient client) {
    this.client = client;
    encoder.wrap(buffer, 0);
  }

  /** Adds a STRING item carrying {@code text} as UTF-8. */
  public TknClientBatch addString(CharSequence text) {
    encoder.addString(text);
    return this;
  }

  /** Adds a BINARY item carrying {@code bytes}. */
  public TknClientBatch addBinary(byte[] bytes) {
    encoder.addBinary(bytes);
    return this;
  }

  /** Adds a JSON item carrying {@code utf8Json} as given. */
  public TknClientBatch addJson(byte[] utf8Json) {
    encoder.addJson(utf8Json);
    return this;
  }

  /** Items added since the last send. */
  public int itemCount() {
    return encoder.itemCount();
  }

  /** Drops the items added since the last send. */
  public TknClientBatch clear() {
    encoder.wrap(buffer, 0);
    return this;
  }

  /**
   * Sends the items as one BATCH frame (one credit) and empties the builder.
   *
   * @return the frame's 1-based number
   * @throws IllegalArgumentException when the batch is empty or its payload exceeds the server's
   *     max payload length; the items stay, nothing is sent
   */
  public long send() {
    int frameLength = encoder.finish();
    long frameNumber = client.sendBatch(buffer, frameLength);
    clear();
    return frameNumber;
  }
}
