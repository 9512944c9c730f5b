package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

class GorillaCodecProperties {

  record Points(long[] timestamps, double[] values) {
    int count() {
      return timestamps.length;
    }
  }

  @Property
  void anyStrictlyIncreasingTimestampsAndAnyValueBitsRoundTripExactly(
      @ForAll("arbitraryPoints") Points points) {
    GorillaCodecTest.assertRoundTrip(points.timestamps(), points.values());
  }

  @Property
  void regularTimestampsWithRepeatingValuesRoundTripExactly(
      @ForAll("regularPoints") Points points) {
    GorillaCodecTest.assertRoundTrip(points.timestamps(), points.values());
  }

  @Property
  void mutatedBlocksDecodeOrFailOnlyWithMalformedBlockException(
      @ForAll("arbitraryPoints") Points points,
      @ForAll("byteMutations") List<Tuple2<Integer, Byte>> mutations,
      @ForAll @IntRange(min = -3, max = 3) int countChange,
      @ForAll @IntRange(min = 0, max = 4) int bytesDropped) {
    UnsafeBuffer buffer = encode(points);
    int length = Math.max(0, encodedLength(points) - bytesDropped);
    for (Tuple2<Integer, Byte> mutation : mutations) {
      if (length > 0) {
        int index = Math.floorMod(mutation.get1(), length);
        buffer.putByte(index, (byte) (buffer.getByte(index) ^ mutation.get2()));
      }
    }
    int count = Math.max(0, points.count() + countChange);

    Throwable thrown =
        catchThrowable(
            () ->
                GorillaCodec.decode(buffer, 0, length, count, new long[count], new double[count]));

    if (thrown != null) {
      assertThat(thrown).isInstanceOf(GorillaCodec.MalformedBlockException.class);
    }
  }

  @Property
  void randomBytesDecodeOrFailOnlyWithMalformedBlockException(
      @ForAll @Size(max = 200) byte[] bytes, @ForAll @IntRange(min = 0, max = 100) int count) {
    UnsafeBuffer buffer = new UnsafeBuffer(bytes);

    Throwable thrown =
        catchThrowable(
            () ->
                GorillaCodec.decode(
                    buffer, 0, bytes.length, count, new long[count], new double[count]));

    if (thrown != null) {
      assertThat(thrown).isInstanceOf(GorillaCodec.MalformedBlockException.class);
    }
  }

  private static UnsafeBuffer encode(Points points) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(points.count())]);
    GorillaCodec.encode(points.timestamps(), points.values(), points.count(), buffer, 0);
    return buffer;
  }

  private static int encodedLength(Points points) {
    return GorillaCodec.encode(
        points.timestamps(),
        points.values(),
        points.count(),
        new UnsafeBuffer(new byte[GorillaCodec.maxEncodedLength(points.count())]),
        0);
  }

  @Provide
  Arbitrary<List<Tuple2<Integer, Byte>>> byteMutations() {
    // (position, xor mask): the position is reduced modulo the block length when applied.
    return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes())
        .as(Tuple::of)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  @Provide
  Arbitrary<Points> arbitraryPoints() {
    Arbitrary<long[]> timestamps =
        Arbitraries.longs()
            .set()
            .ofMinSize(1)
            .ofMaxSize(200)
            .map(set -> set.stream().mapToLong(Long::longValue).sorted().toArray());
    return timestamps.flatMap(
        ts -> valueBits().array(long[].class).ofSize(ts.length).map(bits -> points(ts, bits)));
  }

  @Provide
  Arbitrary<Points> regularPoints() {
    // Sensor-like: a fixed step plus up to 1000 of jitter (so dods land in every small bucket), and
    // a value
    // with one decimal that mostly repeats and sometimes moves by 0.1.
    Arbitrary<Long> start = Arbitraries.longs().between(-1L << 50, 1L << 50);
    Arbitrary<Long> step = Arbitraries.longs().between(1, 1L << 20);
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 500);
    return Combinators.combine(start, step, count)
        .as(Tuple::of)
        .flatMap(
            shape -> {
              int n = shape.get3();
              Arbitrary<int[]> jitters =
                  Arbitraries.integers().between(0, 1000).array(int[].class).ofSize(n);
              Arbitrary<int[]> moves = Arbitraries.of(-1, 0, 0, 0, 1).array(int[].class).ofSize(n);
              return Combinators.combine(jitters, moves)
                  .as((jitter, move) -> sensor(shape.get1(), shape.get2(), jitter, move));
            });
  }

  private static Points sensor(long start, long step, int[] jitter, int[] move) {
    long[] timestamps = new long[jitter.length];
    long[] bits = new long[jitter.length];
    long tenths = 215;
    for (int i = 0; i < timestamps.length; i++) {
      timestamps[i] = start + i * (step + 1000) + jitter[i];
      tenths += move[i];
      bits[i] = Double.doubleToRawLongBits(tenths / 10.0);
    }
    return points(timestamps, bits);
  }

  private static Arbitrary<Long> valueBits() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.doubles().map(Double::doubleToRawLongBits),
        Arbitraries.of(
            0x7FF8_0000_0000_0000L,
            0x7FF0_0000_0000_0001L,
            0xFFF8_0000_DEAD_BEEFL,
            Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
            Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
            Double.doubleToRawLongBits(-0.0),
            0L,
            1L,
            0x000F_FFFF_FFFF_FFFFL,
            Double.doubleToRawLongBits(21.5)));
  }

  private static Points points(long[] timestamps, long[] bits) {
    double[] values = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      values[i] = Double.longBitsToDouble(bits[i]);
    }
    return new Points(timestamps, values);
  }
}
