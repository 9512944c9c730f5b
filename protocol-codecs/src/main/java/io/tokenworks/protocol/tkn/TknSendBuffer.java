package io.tokenworks.protocol.tkn;

import java.io.IOException;
import java.io.OutputStream;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The frames a {@link TknClient} has encoded and not yet written: one growable byte array, written
 * to the socket in one call. Not thread-safe; the client holds its send lock.
 */
final class TknSendBuffer {

  private static final int INITIAL_BYTES = 64 * 1024;

  private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[INITIAL_BYTES]);
  private int position;

  /** Where frames are encoded; valid until the next {@link #makeRoom}. */
  UnsafeBuffer buffer() {
    return buffer;
  }

  /** Where the next frame starts. */
  int position() {
    return position;
  }

  /** Whether a frame of {@code frameLength} bytes fits behind what is buffered. */
  boolean fits(int frameLength) {
    return position + frameLength <= buffer.capacity();
  }

  /** After {@link #writeTo}: grows the (empty) buffer if one frame is larger than it. */
  void makeRoom(int frameLength) {
    if (frameLength > buffer.capacity()) {
      buffer.wrap(new byte[frameLength]);
    }
  }

  void commit(int frameLength) {
    position += frameLength;
  }

  boolean isEmpty() {
    return position == 0;
  }

  /** Writes every buffered frame and empties the buffer. */
  void writeTo(OutputStream out) throws IOException {
    out.write(buffer.byteArray(), 0, position);
    out.flush();
    position = 0;
  }
}
