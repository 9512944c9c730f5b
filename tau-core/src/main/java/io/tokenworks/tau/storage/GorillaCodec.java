package io.tokenworks.tau.storage;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Bit-level Gorilla compression of one block of points (Pelkonen et al., "Gorilla: A Fast,
 * Scalable, In-Memory Time Series Database", VLDB 2015): delta-of-delta timestamps in
 * variable-width buckets and XOR-ed values with a leading/trailing-zero window. This is a persisted
 * format (the payload of every {@link ChunkFile}); changing anything below needs a new chunk format
 * version.
 *
 * <h2>Bit layout</h2>
 *
 * <p>Bits are written most significant bit first: the first bit of the stream is bit 7 of byte 0,
 * the ninth is bit 7 of byte 1. Every field below is written most significant bit first; signed
 * fields are two's complement. The stream ends at the first byte boundary after the last point, the
 * unused low bits of the last byte are zero, and the encoded length is exactly {@code ceil(bits /
 * 8)} bytes. The block itself carries no count: the container stores it.
 *
 * <pre>
 * point 0:   timestamp            64 bits, raw
 *            value                64 bits, Double.doubleToRawLongBits
 * point i>0: timestamp field, then value field
 *
 * timestamp field, with delta = t[i] - t[i-1] and dod = delta - previousDelta (previousDelta is 0 for point 1),
 * both computed modulo 2^64 (wrapping long arithmetic), so any sequence of longs round-trips exactly:
 *   '0'                       dod == 0
 *   '10'    +  7-bit signed   dod in [-64, 63]
 *   '110'   +  9-bit signed   dod in [-256, 255]
 *   '1110'  + 12-bit signed   dod in [-2048, 2047]
 *   '11110' + 32-bit signed   dod in [-2^31, 2^31 - 1]
 *   '11111' + 64 bits         any other dod
 *
 * value field, with xor = bits[i] ^ bits[i-1]:
 *   '0'                       xor == 0 (same bits as the previous value)
 *   '10' + s bits             xor fits the current window (leading, trailing) set by the last '11' field:
 *                             numberOfLeadingZeros(xor) >= leading and numberOfTrailingZeros(xor) >= trailing;
 *                             s = 64 - leading - trailing, the bits are xor >>> trailing. Invalid before any '11'.
 *   '11' + 5 bits leading     leading = min(numberOfLeadingZeros(xor), 31)
 *        + 6 bits s           s = 64 - leading - numberOfTrailingZeros(xor), in [1, 64], 64 written as 0
 *        + s bits             xor >>> trailing; sets the window to (leading, 64 - leading - s)
 * </pre>
 *
 * <p>Worst case a point costs 69 timestamp bits and 77 value bits, which {@link
 * #maxEncodedLength(int)} bounds. Encoding allocates nothing per point.
 */
public final class GorillaCodec {

  /** Largest number of points in one block; keeps every encoded length within an {@code int}. */
  public static final int MAX_COUNT = 1 << 24;

  private static final int FIRST_POINT_BITS = 64 + 64;
  private static final int MAX_TIMESTAMP_BITS = 5 + 64;
  private static final int MAX_VALUE_BITS = 2 + 5 + 6 + 64;
  private static final int MAX_LEADING_ZEROS = 31;

  private GorillaCodec() {}

  /**
   * Thrown by {@link #decode} when the bytes are not a block this codec wrote: truncated, trailing
   * bytes, non-zero padding or an impossible field. It is the only exception decoding raises for
   * bad input.
   */
  public static final class MalformedBlockException extends IllegalStateException {
    MalformedBlockException(String message) {
      super(message);
    }
  }

  /** The largest number of bytes {@link #encode} writes for {@code count} points. */
  public static int maxEncodedLength(int count) {
    checkCount(count);
    if (count == 0) {
      return 0;
    }
    long bits = FIRST_POINT_BITS + (long) (count - 1) * (MAX_TIMESTAMP_BITS + MAX_VALUE_BITS);
    return (int) ((bits + 7) >>> 3);
  }

  /**
   * Encodes the first {@code count} points into {@code out} at {@code outOffset}.
   *
   * @param out a buffer with at least {@link #maxEncodedLength(int)} bytes from {@code outOffset},
   *     or an expandable buffer, which grows as needed
   * @return the number of bytes written
   * @throws IllegalArgumentException if the arrays hold fewer than {@code count} points or {@code
   *     out} is too small
   */
  public static int encode(
      long[] timestamps, double[] values, int count, MutableDirectBuffer out, int outOffset) {
    checkArrays(timestamps, values, count);
    int bound = maxEncodedLength(count);
    if (outOffset < 0 || (!out.isExpandable() && outOffset > out.capacity() - bound)) {
      throw new IllegalArgumentException(
          "out too small: capacity="
              + out.capacity()
              + " outOffset="
              + outOffset
              + " maxEncodedLength="
              + bound);
    }
    if (count == 0) {
      return 0;
    }
    Encoder encoder = new Encoder(out, outOffset, timestamps[0], values[0]);
    for (int i = 1; i < count; i++) {
      encoder.append(timestamps[i], values[i]);
    }
    return encoder.finish();
  }

  /**
   * Decodes {@code count} points from exactly {@code length} bytes of {@code in} at {@code offset}.
   *
   * @return the number of points decoded, always {@code count}
   * @throws MalformedBlockException if the bytes are not exactly an encoding of {@code count}
   *     points
   * @throws IllegalArgumentException if the range lies outside {@code in} or the arrays are too
   *     small
   */
  public static int decode(
      DirectBuffer in,
      int offset,
      int length,
      int count,
      long[] timestampsOut,
      double[] valuesOut) {
    checkArrays(timestampsOut, valuesOut, count);
    if (offset < 0 || length < 0 || offset > in.capacity() - length) {
      throw new IllegalArgumentException(
          "range outside buffer: offset="
              + offset
              + " length="
              + length
              + " capacity="
              + in.capacity());
    }
    Decoder decoder = new Decoder(in, offset, length);
    if (count > 0) {
      timestampsOut[0] = decoder.readBits(64);
      long bits = decoder.readBits(64);
      valuesOut[0] = Double.longBitsToDouble(bits);
      decoder.previousTimestamp = timestampsOut[0];
      decoder.previousBits = bits;
      for (int i = 1; i < count; i++) {
        timestampsOut[i] = decoder.nextTimestamp();
        valuesOut[i] = Double.longBitsToDouble(decoder.nextValueBits());
      }
    }
    decoder.finish(count);
    return count;
  }

  private static void checkCount(int count) {
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "count out of range: count=" + count + " max=" + MAX_COUNT);
    }
  }

  private static void checkArrays(long[] timestamps, double[] values, int count) {
    checkCount(count);
    if (timestamps.length < count || values.length < count) {
      throw new IllegalArgumentException(
          "arrays shorter than count: count="
              + count
              + " timestamps.length="
              + timestamps.length
              + " values.length="
              + values.length);
    }
  }

  /**
   * Writes the bit stream through a 64-bit accumulator flushed big-endian, so bits land MSB first.
   */
  private static final class Encoder {
    private final MutableDirectBuffer out;
    private final int start;
    private int position;
    private long accumulator;
    private int usedBits;

    private long previousTimestamp;
    private long previousDelta;
    private long previousBits;
    private int windowLeading = -1; // no window until the first '11' value field
    private int windowTrailing;

    Encoder(MutableDirectBuffer out, int offset, long firstTimestamp, double firstValue) {
      this.out = out;
      this.start = offset;
      this.position = offset;
      previousTimestamp = firstTimestamp;
      previousBits = Double.doubleToRawLongBits(firstValue);
      writeBits(previousTimestamp, 64);
      writeBits(previousBits, 64);
    }

    void append(long timestamp, double value) {
      // Wrapping subtraction on purpose: decode adds back modulo 2^64, so even deltas that overflow
      // a long
      // (Long.MIN_VALUE to Long.MAX_VALUE) round-trip exactly.
      long delta = timestamp - previousTimestamp;
      writeDeltaOfDelta(delta - previousDelta);
      previousDelta = delta;
      previousTimestamp = timestamp;

      long bits = Double.doubleToRawLongBits(value);
      writeXor(bits ^ previousBits);
      previousBits = bits;
    }

    private void writeDeltaOfDelta(long dod) {
      if (dod == 0) {
        writeBits(0, 1);
      } else if (fits(dod, 7)) {
        writeBits((0b10L << 7) | (dod & 0x7F), 2 + 7);
      } else if (fits(dod, 9)) {
        writeBits((0b110L << 9) | (dod & 0x1FF), 3 + 9);
      } else if (fits(dod, 12)) {
        writeBits((0b1110L << 12) | (dod & 0xFFF), 4 + 12);
      } else if (fits(dod, 32)) {
        writeBits(0b11110L, 5);
        writeBits(dod, 32);
      } else {
        writeBits(0b11111L, 5);
        writeBits(dod, 64);
      }
    }

    private void writeXor(long xor) {
      if (xor == 0) {
        writeBits(0, 1);
        return;
      }
      int leading = Math.min(Long.numberOfLeadingZeros(xor), MAX_LEADING_ZEROS);
      int trailing = Long.numberOfTrailingZeros(xor);
      if (windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing) {
        writeBits(0b10L, 2);
        writeBits(xor >>> windowTrailing, 64 - windowLeading - windowTrailing);
      } else {
        int significant = 64 - leading - trailing;
        // 64 significant bits only happens with leading == 0; it does not fit 6 bits and is written
        // as 0.
        writeBits((0b11L << 11) | ((long) leading << 6) | (significant & 0x3F), 2 + 5 + 6);
        writeBits(xor >>> trailing, significant);
        windowLeading = leading;
        windowTrailing = trailing;
      }
    }

    private static boolean fits(long value, int bits) {
      long limit = 1L << (bits - 1);
      return value >= -limit && value < limit;
    }

    /** Appends the low {@code n} bits of {@code value}, {@code 1 <= n <= 64}. */
    private void writeBits(long value, int n) {
      long bits = n == 64 ? value : value & ((1L << n) - 1);
      int free = 64 - usedBits;
      if (n < free) {
        accumulator |= bits << (free - n);
        usedBits += n;
        return;
      }
      int rest = n - free; // bits that do not fit the accumulator, 0..63
      accumulator |= bits >>> rest;
      out.putLong(position, accumulator, ByteOrder.BIG_ENDIAN);
      position += 8;
      accumulator = rest == 0 ? 0 : bits << (64 - rest);
      usedBits = rest;
    }

    int finish() {
      int tailBytes = (usedBits + 7) >>> 3;
      for (int i = 0; i < tailBytes; i++) {
        out.putByte(position + i, (byte) (accumulator >>> (56 - 8 * i)));
      }
      position += tailBytes;
      return position - start;
    }
  }

  /** Reads the bit stream with every read bounds-checked against the block, never the buffer. */
  private static final class Decoder {
    private final DirectBuffer in;
    private final int offset;
    private final long totalBits;
    private long bitPosition;

    long previousTimestamp;
    private long previousDelta;
    long previousBits;
    private int windowLeading = -1;
    private int windowTrailing;

    Decoder(DirectBuffer in, int offset, int length) {
      this.in = in;
      this.offset = offset;
      this.totalBits = (long) length << 3;
    }

    long nextTimestamp() {
      long dod;
      if (readBits(1) == 0) {
        dod = 0;
      } else if (readBits(1) == 0) {
        dod = readSigned(7);
      } else if (readBits(1) == 0) {
        dod = readSigned(9);
      } else if (readBits(1) == 0) {
        dod = readSigned(12);
      } else if (readBits(1) == 0) {
        dod = readSigned(32);
      } else {
        dod = readBits(64);
      }
      long delta = previousDelta + dod; // wrapping, mirrors the encoder
      previousDelta = delta;
      previousTimestamp += delta;
      return previousTimestamp;
    }

    long nextValueBits() {
      if (readBits(1) == 0) {
        return previousBits;
      }
      long xor;
      if (readBits(1) == 0) {
        if (windowLeading < 0) {
          throw malformed("value reuses a window before any was set");
        }
        xor = readBits(64 - windowLeading - windowTrailing) << windowTrailing;
      } else {
        int leading = (int) readBits(5);
        int significant = (int) readBits(6);
        if (significant == 0) {
          significant = 64;
        }
        if (leading + significant > 64) {
          throw malformed("leading=" + leading + " + significant=" + significant + " exceeds 64");
        }
        int trailing = 64 - leading - significant;
        xor = readBits(significant) << trailing;
        windowLeading = leading;
        windowTrailing = trailing;
      }
      previousBits ^= xor;
      return previousBits;
    }

    private long readSigned(int n) {
      int shift = 64 - n;
      return (readBits(n) << shift) >> shift;
    }

    /** Reads {@code n} bits, {@code 1 <= n <= 64}, MSB first. */
    long readBits(int n) {
      if (n > totalBits - bitPosition) {
        throw malformed(
            "truncated: needs " + n + " more bits, " + (totalBits - bitPosition) + " left");
      }
      long result = 0;
      int needed = n;
      while (needed > 0) {
        int byteIndex = (int) (bitPosition >>> 3);
        int available = 8 - (int) (bitPosition & 7);
        int take = Math.min(available, needed);
        int current = in.getByte(offset + byteIndex) & 0xFF;
        int chunk = (current >>> (available - take)) & ((1 << take) - 1);
        result = (result << take) | chunk;
        needed -= take;
        bitPosition += take;
      }
      return result;
    }

    /**
     * Rejects trailing bytes and non-zero padding, so each block has exactly one valid encoding
     * length.
     */
    void finish(int count) {
      long unused = totalBits - bitPosition;
      if (unused >= 8) {
        throw malformed((unused >>> 3) + " trailing bytes after " + count + " points");
      }
      if (unused > 0 && readBits((int) unused) != 0) {
        throw malformed("non-zero padding after " + count + " points");
      }
    }

    private MalformedBlockException malformed(String what) {
      return new MalformedBlockException(
          "malformed Gorilla block at bit " + bitPosition + " of " + totalBits + ": " + what);
    }
  }
}
