package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class GorillaCodecTest {

  /**
   * Encodes, decodes and checks every timestamp and every value's raw bits; returns the encoded
   * length.
   */
  static int assertRoundTrip(long[] timestamps, double[] values) {
    int count = timestamps.length;
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(count)]);
    int length = GorillaCodec.encode(timestamps, values, count, buffer, 0);
    assertThat(length).isLessThanOrEqualTo(GorillaCodec.maxEncodedLength(count));

    long[] decodedTimestamps = new long[count];
    double[] decodedValues = new double[count];
    int decoded = GorillaCodec.decode(buffer, 0, length, count, decodedTimestamps, decodedValues);

    assertThat(decoded).isEqualTo(count);
    assertThat(decodedTimestamps).containsExactly(timestamps);
    assertThat(rawBits(decodedValues)).containsExactly(rawBits(values));
    return length;
  }

  static long[] rawBits(double[] values) {
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }

  private static long[] regularTimestamps(int count, long start, long step) {
    long[] timestamps = new long[count];
    for (int i = 0; i < count; i++) {
      timestamps[i] = start + i * step;
    }
    return timestamps;
  }

  private static double[] constant(int count, double value) {
    double[] values = new double[count];
    Arrays.fill(values, value);
    return values;
  }

  @Test
  void singlePointRoundTripsInSixteenBytes() {
    int length = assertRoundTrip(new long[] {1_700_000_000_000L}, new double[] {22.5});

    assertThat(length).isEqualTo(16);
  }

  @Test
  void emptyBlockEncodesToNothing() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);

    assertThat(GorillaCodec.encode(new long[0], new double[0], 0, buffer, 0)).isZero();
    assertThat(GorillaCodec.decode(buffer, 0, 0, 0, new long[0], new double[0])).isZero();
  }

  @Test
  void constantDeltaTimestampsRoundTrip() {
    assertRoundTrip(regularTimestamps(500, 1_000, 1_000), constant(500, 1.5));
  }

  @Test
  void varyingDeltasRoundTrip() {
    long[] timestamps = {0, 1, 3, 70, 71, 400, 401, 3_000, 3_001, 10_000_000, 10_000_001, 1L << 40};
    double[] values = new double[timestamps.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.25;
    }

    assertRoundTrip(timestamps, values);
  }

  @Test
  void everyDeltaOfDeltaBucketBoundaryRoundTrips() {
    long[] dods = {
      0,
      1,
      -1,
      63,
      -64,
      64,
      -65,
      255,
      -256,
      256,
      -257,
      2047,
      -2048,
      2048,
      -2049,
      Integer.MAX_VALUE,
      Integer.MIN_VALUE,
      Integer.MAX_VALUE + 1L,
      Integer.MIN_VALUE - 1L
    };
    for (long dod : dods) {
      long base = 1L << 50;
      long[] timestamps = {base, base + 10_000_000_000L, base + 20_000_000_000L + dod};
      assertRoundTrip(timestamps, new double[] {1, 2, 3});
    }
  }

  @Test
  void negativeTimestampsRoundTrip() {
    assertRoundTrip(new long[] {-100, -1}, new double[] {1.0, 2.0});
    assertRoundTrip(new long[] {-100, -1, 0, 1}, new double[] {1.0, 2.0, 3.0, 4.0});
  }

  @Test
  void longMinAndMaxInOneBlockRoundTrip() {
    // The delta MIN->MAX overflows a long; the codec must wrap identically in both directions.
    assertRoundTrip(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, new double[] {1, 2});
    assertRoundTrip(
        new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, Long.MAX_VALUE - 1, Long.MAX_VALUE},
        new double[] {1, 2, 3, 4, 5, 6});
  }

  @Test
  void identicalValuesCostOneBitEach() {
    long[] timestamps = regularTimestamps(1000, 0, 1);
    int length = assertRoundTrip(timestamps, constant(1000, 42.125));

    // 128 bits for point 0, 10 bits for point 1 (dod=1 plus '0'), then 1+1 bits per point.
    assertThat(length).isEqualTo((128 + 10 + 998 * 2 + 7) / 8);
  }

  @Test
  void specialDoublesRoundTripBitExact() {
    double[] values = {
      Double.longBitsToDouble(0x7FF8_0000_0000_0000L), // canonical quiet NaN
      Double.longBitsToDouble(0x7FF8_0000_0000_0001L), // quiet NaN with payload
      Double.longBitsToDouble(0xFFF8_0000_DEAD_BEEFL), // negative quiet NaN with payload
      Double.longBitsToDouble(0x7FF0_0000_0000_0001L), // signalling NaN bit pattern
      Double.longBitsToDouble(0x7FFF_FFFF_FFFF_FFFFL), // all-ones payload
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -0.0,
      0.0,
      -0.0,
      Double.MIN_VALUE, // smallest denormal
      -Double.MIN_VALUE,
      Double.longBitsToDouble(0x000F_FFFF_FFFF_FFFFL), // largest denormal
      Double.MIN_NORMAL,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      Double.NaN
    };

    assertRoundTrip(regularTimestamps(values.length, -5, 3), values);
  }

  @Test
  void fullBlockOf4096PointsRoundTrips() {
    Random random = new Random(4096);
    long[] timestamps = new long[4096];
    double[] values = new double[4096];
    long t = 1_700_000_000_000L;
    for (int i = 0; i < timestamps.length; i++) {
      t += 1 + random.nextInt(i % 100 == 0 ? 1_000_000 : 2_000);
      timestamps[i] = t;
      values[i] = random.nextInt(4) == 0 ? random.nextGaussian() : (i == 0 ? 0 : values[i - 1]);
    }

    assertRoundTrip(timestamps, values);
  }

  @Test
  void hundredConstantDeltaPointsWithConstantValueFitIn43Bytes() {
    int length =
        assertRoundTrip(regularTimestamps(100, 1_700_000_000_000L, 1_000), constant(100, 7));

    // 128 raw bits, 16+1 bits for point 1 (dod=1000 in the 12-bit bucket), 2 bits per later point:
    // 341 bits. Upstream's byte-granular codec needed up to 116 bytes for the timestamps alone.
    assertThat(length).isEqualTo(43);
  }

  /**
   * One reading per second for 4096 seconds of a temperature with one decimal that moves by 0.1 in
   * {@code changePercent} of the readings; timestamps get up to {@code jitterMs} of jitter either
   * way.
   */
  private static double sensorBytesPerPoint(long seed, int changePercent, int jitterMs) {
    Random random = new Random(seed);
    int count = 4096;
    long[] timestamps = new long[count];
    double[] values = new double[count];
    long timestamp = 1_700_000_000_000L;
    long tenths = 215;
    for (int i = 0; i < count; i++) {
      timestamp += 1_000 + (jitterMs == 0 ? 0 : random.nextInt(2 * jitterMs + 1) - jitterMs);
      timestamps[i] = timestamp;
      if (random.nextInt(100) < changePercent) {
        tenths += random.nextBoolean() ? 1 : -1;
      }
      values[i] = tenths / 10.0;
    }
    return (double) assertRoundTrip(timestamps, values) / count;
  }

  @Test
  void regularSensorDataCompressesToAboutOneBytePerPoint() {
    // Measured 0.90 bytes/point (16 uncompressed).
    assertThat(sensorBytesPerPoint(1, 10, 0)).isLessThan(1.2);
  }

  @Test
  void jitteredSensorDataStaysUnderTwoAndAHalfBytesPerPoint() {
    // +-10 ms of jitter puts most dods in the 9-bit bucket. Measured 1.85 bytes/point.
    assertThat(sensorBytesPerPoint(1, 10, 10)).isLessThan(2.5);
  }

  @Test
  void sensorDataChangingEveryReadingStaysUnderEightBytesPerPoint() {
    // Gorilla's known weak spot: decimal fractions differ in most mantissa bits (0.1 is not a
    // binary
    // fraction), so each change costs ~50 bits. Measured 6.8 bytes/point, still under half of raw.
    assertThat(sensorBytesPerPoint(1, 100, 0)).isLessThan(8.0);
  }

  @Test
  void slowlyVaryingRoundedSignalStaysUnderOneAndAHalfBytesPerPoint() {
    long[] timestamps = regularTimestamps(4096, 1_700_000_000_000L, 1_000);
    double[] values = new double[4096];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.round(200 + 10 * Math.sin(i / 50.0)) / 10.0;
    }

    int length = assertRoundTrip(timestamps, values);

    // Measured 1.14 bytes/point.
    assertThat((double) length / values.length).isLessThan(1.5);
  }

  @Test
  void encodedBytesMatchTheDocumentedBitLayout() {
    // Worked by hand from the class Javadoc:
    // point 0: 64 zero bits, then 1.0 = 0x3FF0000000000000
    // point 1: dod=10 -> '10' 0001010, value same -> '0'
    // point 2: dod=0 -> '0', 1.0^2.0 = 0x7FF0000000000000 -> '11' 00001 001011 11111111111
    // point 3: dod=1 -> '10' 0000001, value same -> '0', then 3 zero padding bits
    long[] timestamps = {0, 10, 20, 31};
    double[] values = {1.0, 1.0, 2.0, 2.0};
    byte[] expected = {
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x3F,
      (byte) 0xF0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 0x85,
      0x18,
      0x4B,
      (byte) 0xFF,
      (byte) 0xF0,
      0x10
    };
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(4)]);

    int length = GorillaCodec.encode(timestamps, values, 4, buffer, 0);

    byte[] actual = new byte[length];
    buffer.getBytes(0, actual);
    assertThat(actual).containsExactly(expected);
    assertRoundTrip(timestamps, values);
  }

  @Test
  void windowReuseAndNewWindowBothRoundTrip() {
    // 1.0 -> 1.5 -> 1.75 -> 1.5 exercises '11' then '10' (xor fits) then '11' again (xor wider).
    double[] values = {1.0, 1.5, 1.75, 1.5, 1.0, 1.0000000000000002, 3.0};
    assertRoundTrip(regularTimestamps(values.length, 0, 60_000), values);
  }

  @Test
  void encodesAtAnOffsetIntoAnExpandableBuffer() {
    long[] timestamps = regularTimestamps(300, 0, 1_000);
    double[] values = new double[300];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.sin(i);
    }
    ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4);

    int length = GorillaCodec.encode(timestamps, values, 300, buffer, 13);

    long[] decodedTimestamps = new long[300];
    double[] decodedValues = new double[300];
    GorillaCodec.decode(buffer, 13, length, 300, decodedTimestamps, decodedValues);
    assertThat(decodedTimestamps).containsExactly(timestamps);
    assertThat(rawBits(decodedValues)).containsExactly(rawBits(values));
  }

  @Test
  void encodeOnlyReadsTheFirstCountPoints() {
    long[] timestamps = {1, 2, 3, 0, 0};
    double[] values = {1, 2, 3, 9, 9};
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(3)]);

    int length = GorillaCodec.encode(timestamps, values, 3, buffer, 0);

    long[] decodedTimestamps = new long[3];
    double[] decodedValues = new double[3];
    GorillaCodec.decode(buffer, 0, length, 3, decodedTimestamps, decodedValues);
    assertThat(decodedTimestamps).containsExactly(1, 2, 3);
    assertThat(decodedValues).containsExactly(1, 2, 3);
  }

  @Test
  void randomBitsStayWithinMaxEncodedLength() {
    // Random timestamps (any order: the codec itself does not need increasing input) give 64-bit
    // dods and
    // random value bits give full-width xors, the nearest to the worst case real input gets.
    Random random = new Random(64);
    int count = 1024;
    long[] timestamps = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      timestamps[i] = random.nextLong();
      values[i] = Double.longBitsToDouble(random.nextLong());
    }

    int length = assertRoundTrip(timestamps, values);

    assertThat(length)
        .isGreaterThan(count * 16)
        .isLessThanOrEqualTo(GorillaCodec.maxEncodedLength(count));
  }

  @Test
  void encodeRejectsAnOutputBufferThatMayBeTooSmall() {
    UnsafeBuffer small = new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(10) - 1]);

    assertThatThrownBy(() -> GorillaCodec.encode(new long[10], new double[10], 10, small, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEncodedLength=");
  }

  @Test
  void encodeRejectsCountLargerThanTheArrays() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    assertThatThrownBy(() -> GorillaCodec.encode(new long[2], new double[3], 3, buffer, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count=3");
  }

  @Test
  void decodeRejectsTruncatedInputWithTheDocumentedException() {
    long[] timestamps = regularTimestamps(50, 0, 1_000);
    double[] values = new double[50];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 1.1;
    }
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(50)]);
    int length = GorillaCodec.encode(timestamps, values, 50, buffer, 0);

    for (int truncated = 0; truncated < length; truncated++) {
      int shorter = truncated;
      assertThatThrownBy(
              () -> GorillaCodec.decode(buffer, 0, shorter, 50, new long[50], new double[50]))
          .isInstanceOf(GorillaCodec.MalformedBlockException.class)
          .hasMessageContaining("malformed Gorilla block");
    }
  }

  @Test
  void decodeRejectsTrailingBytes() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    int length = GorillaCodec.encode(new long[] {5}, new double[] {1}, 1, buffer, 0);

    assertThatThrownBy(
            () -> GorillaCodec.decode(buffer, 0, length + 1, 1, new long[1], new double[1]))
        .isInstanceOf(GorillaCodec.MalformedBlockException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void decodeRejectsNonZeroPadding() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(4)]);
    int length =
        GorillaCodec.encode(new long[] {0, 10, 20, 31}, new double[] {1, 1, 2, 2}, 4, buffer, 0);
    buffer.putByte(length - 1, (byte) (buffer.getByte(length - 1) | 1));

    assertThatThrownBy(() -> GorillaCodec.decode(buffer, 0, length, 4, new long[4], new double[4]))
        .isInstanceOf(GorillaCodec.MalformedBlockException.class)
        .hasMessageContaining("padding");
  }

  @Test
  void decodeRejectsWindowReuseBeforeAnyWindow() {
    // point 0 raw, point 1: dod '0', value '10' with no window yet.
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[17]);
    buffer.putByte(16, (byte) 0b0100_0000);

    assertThatThrownBy(() -> GorillaCodec.decode(buffer, 0, 17, 2, new long[2], new double[2]))
        .isInstanceOf(GorillaCodec.MalformedBlockException.class)
        .hasMessageContaining("window");
  }

  @Test
  void decodeRejectsAWindowWiderThan64Bits() {
    // point 1: dod '0', value '11' leading=31 significant=63 -> 31 + 63 > 64.
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
    buffer.putByte(16, (byte) 0b0111_1111);
    buffer.putByte(17, (byte) 0b1111_1110);

    assertThatThrownBy(() -> GorillaCodec.decode(buffer, 0, 32, 2, new long[2], new double[2]))
        .isInstanceOf(GorillaCodec.MalformedBlockException.class)
        .hasMessageContaining("exceeds 64");
  }

  @Test
  void decodeRejectsARangeOutsideTheBufferAsMisuse() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);

    assertThatThrownBy(() -> GorillaCodec.decode(buffer, 4, 8, 1, new long[1], new double[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity=8");
  }
}
