package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A 32-byte TAU label (series, lens or transform name): UTF-8 text zero-padded on the right.
 * Upstream keys on all 32 bytes, so two labels are equal only when every byte is.
 *
 * <p>Unlike upstream's clients, {@link #of(String)} refuses a name longer than 32 bytes instead of
 * cutting it, because a cut can silently map two different names to the same series.
 */
public final class TauLabel {

  private final byte[] bytes;

  private TauLabel(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The label for a name.
   *
   * @throws IllegalArgumentException when the name is empty, longer than 32 UTF-8 bytes or contains
   *     NUL, which would make it indistinguishable from its padded prefix
   */
  public static TauLabel of(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length == 0 || utf8.length > LABEL_LENGTH) {
      throw new IllegalArgumentException(
          "label=\""
              + name
              + "\" is "
              + utf8.length
              + " UTF-8 bytes; it must be 1.."
              + LABEL_LENGTH);
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("label=\"" + name + "\" must not contain NUL");
    }
    return new TauLabel(Arrays.copyOf(utf8, LABEL_LENGTH));
  }

  /** A label from exactly 32 raw bytes, as upstream accepts them (no validation). */
  public static TauLabel ofRaw(byte[] raw) {
    if (raw.length != LABEL_LENGTH) {
      throw new IllegalArgumentException(
          "raw label length=" + raw.length + " must be " + LABEL_LENGTH);
    }
    return new TauLabel(raw.clone());
  }

  /** Copies the 32 bytes at {@code offset}. */
  public static TauLabel copyOf(DirectBuffer buffer, int offset) {
    byte[] raw = new byte[LABEL_LENGTH];
    buffer.getBytes(offset, raw);
    return new TauLabel(raw);
  }

  /** Writes the 32 bytes at {@code offset}. */
  public void write(MutableDirectBuffer buffer, int offset) {
    buffer.putBytes(offset, bytes);
  }

  /** Whether the 32 bytes at {@code offset} are this label's. */
  public boolean equalsBytes(DirectBuffer buffer, int offset) {
    for (int i = 0; i < LABEL_LENGTH; i++) {
      if (buffer.getByte(offset + i) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  /** A copy of the 32 raw bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * The name: the bytes before the trailing NUL padding, decoded as UTF-8 (malformed bytes become
   * U+FFFD).
   */
  public String name() {
    int end = LABEL_LENGTH;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TauLabel label && Arrays.equals(bytes, label.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return name();
  }
}
