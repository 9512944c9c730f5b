package io.tokenworks.protocol.tau;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenworks.protocol.Allocations;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Arbitrary bytes into the TAU decoder, consumed the way a server would: frame after frame until an
 * error that closes or a need for more bytes. In CI this replays the corpus under {@code
 * TauFrameDecoderFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class TauFrameDecoderFuzzTest {

  private static final int LIMIT = 4096;
  private final TauFrameDecoder decoder = new TauFrameDecoder(LIMIT);
  private int position;
  private int steps;

  @FuzzTest(maxDuration = "30s")
  void decodesArbitraryBytesWithoutThrowingOrAllocating(byte[] input) {
    UnsafeBuffer buffer = new UnsafeBuffer(input);
    // The first pass may load classes and, under Jazzer, grow coverage maps: measure the later
    // ones, the
    // fewest bytes of up to three (see Allocations for the JIT's one-off charges).
    TauDecodeResult last = consume(buffer, input.length);
    long allocated =
        Allocations.fewestBytesAllocated(3, 0, () -> consume(buffer, input.length).ordinal());

    assertThat(position).isLessThanOrEqualTo(input.length);
    assertThat(steps).isLessThanOrEqualTo(input.length / 10 + 1);
    if (last == TauDecodeResult.NEED_MORE) {
      assertThat(position + decoder.frameLength()).isGreaterThan(input.length);
    } else {
      assertThat(last.closesConnection()).isTrue();
      assertThat(last.status()).isNotNull();
      assertThat(decoder.frameLength()).isZero();
    }
    assertThat(allocated).as("bytes allocated while decoding").isZero();
  }

  /**
   * Decodes frame after frame as a server would, until an error that closes or a need for more
   * bytes. No AssertJ in here: building an assertion allocates, and this loop is measured.
   */
  private TauDecodeResult consume(UnsafeBuffer buffer, int length) {
    position = 0;
    steps = 0;
    while (true) {
      TauDecodeResult result = decoder.decode(buffer, position, length - position);
      steps++;
      if (result == TauDecodeResult.FRAME) {
        TauFrame frame = decoder.frame();
        check(
            frame.opcode().acceptsPayload(buffer, frame.payloadOffset(), frame.payloadLength()),
            "frame has a valid length");
        check(frame.payloadLength() <= LIMIT, "payload within the limit");
        position += decoder.frameLength();
      } else if (result == TauDecodeResult.BAD_LENGTH_FOR_OPCODE) {
        check(
            decoder.frameLength() >= 10 && decoder.frameLength() <= 10 + LIMIT,
            "skip within limit");
        position += decoder.frameLength();
      } else {
        return result;
      }
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
