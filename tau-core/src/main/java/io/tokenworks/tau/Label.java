package io.tokenworks.tau;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The name of a series or lens: exactly 32 bytes, UTF-8 text zero-padded on the right, as on the
 * TAU wire. Two labels are equal only when all 32 bytes are, so raw labels that differ after the
 * text stay distinct.
 */
public final class Label implements Comparable<Label> {

  /** Length of every label in bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hash;

  private Label(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * The label for a name.
   *
   * @throws IllegalArgumentException when the name is empty, longer than 32 UTF-8 bytes or contains
   *     NUL
   */
  public static Label of(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length == 0 || utf8.length > LENGTH) {
      throw new IllegalArgumentException(
          "label=\"" + name + "\" is " + utf8.length + " UTF-8 bytes; it must be 1.." + LENGTH);
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("label=\"" + name + "\" must not contain NUL");
    }
    return new Label(Arrays.copyOf(utf8, LENGTH));
  }

  /** A label from 32 raw bytes, copied, as the wire carries them. */
  public static Label ofBytes(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("label length=" + raw.length + " must be " + LENGTH);
    }
    return new Label(raw.clone());
  }

  /** A copy of the 32 raw bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Byte {@code index} of the label, 0..31. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** The text before the trailing NUL padding, decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String name() {
    int end = LENGTH;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Label label && hash == label.hash && Arrays.equals(bytes, label.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Label other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return name();
  }
}
