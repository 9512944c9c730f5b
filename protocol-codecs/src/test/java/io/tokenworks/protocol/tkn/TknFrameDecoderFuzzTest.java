package io.tokenworks.protocol.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenworks.protocol.Allocations;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Arbitrary bytes into the TKN decoder, consumed the way a server would: frame after frame,
 * skipping the errors that allow it and reading every batch item, until an error that closes or a
 * need for more bytes. In CI this replays the corpus under {@code TknFrameDecoderFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class TknFrameDecoderFuzzTest {

  private static final int LIMIT = 4096;
  private final TknFrameDecoder decoder = new TknFrameDecoder(LIMIT);
  private int position;
  private int steps;
  private int items;

  @FuzzTest(maxDuration = "30s")
  void consumesArbitraryBytesWithoutThrowingOrAllocating(byte[] input) {
    UnsafeBuffer buffer = new UnsafeBuffer(input);
    // The first pass may load classes and, under Jazzer, grow coverage maps: measure the later
    // ones, the
    // fewest bytes of up to three (see Allocations for the JIT's one-off charges).
    TknDecodeResult last = consume(buffer, input.length);
    long allocated =
        Allocations.fewestBytesAllocated(3, 0, () -> consume(buffer, input.length).ordinal());

    assertThat(position).isBetween(0, input.length);
    // Every step but the last consumes at least a 5-byte header.
    assertThat(steps).isLessThanOrEqualTo(input.length / 5 + 1);
    // Every item occupies at least its 5-byte header inside a frame that was consumed.
    assertThat(items).isLessThanOrEqualTo(position / 5);
    if (last == TknDecodeResult.NEED_MORE) {
      assertThat(position + decoder.frameLength()).isGreaterThan(input.length);
    } else {
      assertThat(last).isEqualTo(TknDecodeResult.PAYLOAD_TOO_LARGE);
      assertThat(last.closesConnection()).isTrue();
      assertThat(decoder.frameLength()).isZero();
    }
    assertThat(allocated).as("bytes allocated while decoding").isZero();
  }

  /**
   * Decodes frame after frame as a server would, until an error that closes or a need for more
   * bytes. No AssertJ in here: building an assertion allocates, and this loop is measured.
   */
  private TknDecodeResult consume(UnsafeBuffer buffer, int length) {
    position = 0;
    steps = 0;
    items = 0;
    while (true) {
      TknDecodeResult result = decoder.decode(buffer, position, length - position);
      steps++;
      if (result == TknDecodeResult.FRAME) {
        TknFrame frame = decoder.frame();
        check(frame.type() != null, "a frame has a known type");
        check(frame.payloadLength() <= LIMIT, "payload within the limit");
        check(frame.offset() == position, "frame starts where asked");
        if (frame.type() == TknFrameType.BATCH) {
          check(decoder.validItemCount() > 0, "a batch frame has items");
          readItems(frame, true);
        }
      } else if (result.isError() && !result.closesConnection()) {
        check(decoder.frameLength() >= 5, "skip at least a header");
        if (result.isBatchItemError()) {
          readItems(decoder.frame(), false);
        } else {
          check(decoder.validItemCount() == 0, "no items outside a batch item error");
        }
      } else {
        return result;
      }
      check(decoder.frameLength() <= 5 + LIMIT, "skip within the limit");
      check(decoder.frameLength() <= length - position, "frame within the input");
      position += decoder.frameLength();
    }
  }

  /** Reads the valid items and checks they tile the payload (all of it when the batch is whole). */
  private void readItems(TknFrame frame, boolean whole) {
    TknBatchItems cursor = decoder.batchItems();
    int expectedOffset = frame.payloadOffset();
    int count = 0;
    while (cursor.next()) {
      TknFrameType type = cursor.type();
      check(type != null && type.isBatchItemType(), "a valid item is JSON, STRING or BINARY");
      check(cursor.itemOffset() == expectedOffset, "items are back to back");
      expectedOffset = cursor.payloadOffset() + cursor.payloadLength();
      check(expectedOffset <= frame.payloadOffset() + frame.payloadLength(), "item inside batch");
      count++;
    }
    check(count == decoder.validItemCount(), "the cursor yields exactly the valid items");
    if (whole) {
      check(expectedOffset == frame.payloadOffset() + frame.payloadLength(), "items fill batch");
    }
    items += count;
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
