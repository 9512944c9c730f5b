package io.tokenworks.protocol.latzero;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenworks.protocol.Allocations;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Invalid;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Message;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Arbitrary bytes into the LatZero decoder, consumed the way a server would: frame after frame
 * until an error that closes or a need for more bytes; the second method also parses every whole
 * body as a message. In CI this replays the corpus under {@code LatZeroFrameDecoderFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class LatZeroFrameDecoderFuzzTest {

  private static final int LIMIT = 4096;

  /** What one parse may allocate beyond its per-byte share: context, parser, an exception. */
  private static final long PARSE_CONSTANT_BYTES = 64 * 1024;

  private static final long PARSE_BYTES_PER_BODY_BYTE = 64;

  private static final int MEASURED_PASSES = 3;

  private final LatZeroFrameDecoder decoder = new LatZeroFrameDecoder(LIMIT);
  private final LatZeroFrameDecoder fullDecoder = new LatZeroFrameDecoder();
  private final LatZeroMessageCodec codec = new LatZeroMessageCodec();
  private int position;
  private int steps;

  @FuzzTest(maxDuration = "30s")
  void decodesArbitraryBytesWithoutThrowingOrAllocating(byte[] input) {
    UnsafeBuffer buffer = new UnsafeBuffer(input);
    // The first pass may load classes and, under Jazzer, grow coverage maps: measure the later
    // ones, the
    // fewest bytes of up to three (see Allocations for the JIT's one-off charges).
    LatZeroDecodeResult last = consume(buffer, input.length);
    long allocated =
        Allocations.fewestBytesAllocated(
            MEASURED_PASSES, 0, () -> consume(buffer, input.length).ordinal());

    assertThat(position).isLessThanOrEqualTo(input.length);
    assertThat(steps).isLessThanOrEqualTo(input.length / 4 + 1);
    if (last == LatZeroDecodeResult.NEED_MORE) {
      assertThat(position + decoder.frameLength()).isGreaterThan(input.length);
    } else {
      assertThat(last).isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
      assertThat(last.closesConnection()).isTrue();
      assertThat(decoder.frameLength()).isZero();
    }
    assertThat(allocated).as("bytes allocated while decoding").isZero();
  }

  @FuzzTest(maxDuration = "30s")
  void parsesArbitraryFramesWithoutThrowingOrAllocatingOutOfProportion(byte[] input) {
    UnsafeBuffer buffer = new UnsafeBuffer(input);
    // Warm up as above; then only whole frames may cost anything, each in proportion to its body.
    // A prefix announcing 16 MiB with a few bytes behind it is no whole frame and gets no budget.
    long budget = parseEveryFrame(buffer, input.length);
    long allocated =
        Allocations.fewestBytesAllocated(
            MEASURED_PASSES, budget, () -> parseEveryFrame(buffer, input.length));

    assertThat(position).isLessThanOrEqualTo(input.length);
    assertThat(steps).isLessThanOrEqualTo(input.length / 4 + 1);
    assertThat(allocated).as("bytes allocated while parsing").isLessThanOrEqualTo(budget);
  }

  /**
   * Decodes frame after frame as a server would, until an error that closes or a need for more
   * bytes. No AssertJ in here: building an assertion allocates, and this loop is measured.
   */
  private LatZeroDecodeResult consume(UnsafeBuffer buffer, int length) {
    position = 0;
    steps = 0;
    while (true) {
      LatZeroDecodeResult result = decoder.decode(buffer, position, length - position);
      steps++;
      if (result == LatZeroDecodeResult.FRAME) {
        check(decoder.payloadOffset() == position + 4, "body right after the prefix");
        check(decoder.payloadLength() >= 1, "a frame has a body");
        check(decoder.payloadLength() <= LIMIT, "body within the limit");
        check(decoder.frameLength() == 4 + decoder.payloadLength(), "frame is prefix and body");
        position += decoder.frameLength();
      } else if (result == LatZeroDecodeResult.EMPTY_FRAME) {
        check(decoder.frameLength() == 4, "an empty frame is its prefix");
        position += decoder.frameLength();
      } else {
        return result;
      }
    }
  }

  /** Like {@link #consume}, parsing each body; returns the bytes the pass may allocate. */
  private long parseEveryFrame(UnsafeBuffer buffer, int length) {
    position = 0;
    steps = 0;
    long budget = 0;
    while (true) {
      LatZeroDecodeResult result = fullDecoder.decode(buffer, position, length - position);
      steps++;
      if (result == LatZeroDecodeResult.FRAME) {
        LatZeroMessageResult message =
            codec.parse(buffer, fullDecoder.payloadOffset(), fullDecoder.payloadLength());
        if (message instanceof Message parsed) {
          check(!parsed.type().isEmpty(), "a message has a type");
        } else {
          check(message instanceof Invalid, "a result is a message or invalid");
        }
        budget += PARSE_BYTES_PER_BODY_BYTE * fullDecoder.payloadLength() + PARSE_CONSTANT_BYTES;
        position += fullDecoder.frameLength();
      } else if (result == LatZeroDecodeResult.EMPTY_FRAME) {
        position += fullDecoder.frameLength();
      } else {
        return budget;
      }
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
