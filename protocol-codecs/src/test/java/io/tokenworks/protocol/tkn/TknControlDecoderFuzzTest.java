package io.tokenworks.protocol.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tokenworks.protocol.Allocations;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Arbitrary bytes into a HELLO mode server's inbound path: the control decoder first, the v1 data
 * decoder for what is not a control frame, every field of every control frame read, skipping the
 * errors that allow it, until an error that closes or a need for more bytes. In CI this replays the
 * corpus under {@code TknControlDecoderFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class TknControlDecoderFuzzTest {

  private static final int LIMIT = 4096;
  private final TknControlDecoder control = new TknControlDecoder();
  private final TknFrameDecoder data = new TknFrameDecoder(LIMIT);
  private int position;
  private int steps;
  private long fields;
  private boolean stoppedOnData;

  @FuzzTest(maxDuration = "30s")
  void consumesArbitraryBytesWithoutThrowingOrAllocating(byte[] input) {
    UnsafeBuffer buffer = new UnsafeBuffer(input);
    // See TknFrameDecoderFuzzTest: the first pass may load classes; measure the later ones.
    Enum<?> last = consume(buffer, input.length);
    long allocated =
        Allocations.fewestBytesAllocated(3, 0, () -> consume(buffer, input.length).ordinal());

    assertThat(position).isBetween(0, input.length);
    assertThat(steps).isLessThanOrEqualTo(input.length / 5 + 1);
    if (last == TknControlResult.NEED_MORE) {
      assertThat(position + control.frameLength()).isGreaterThan(input.length);
    } else if (last == TknDecodeResult.NEED_MORE) {
      assertThat(position + data.frameLength()).isGreaterThan(input.length);
    } else if (stoppedOnData) {
      assertThat(last).isEqualTo(TknDecodeResult.PAYLOAD_TOO_LARGE);
    } else {
      assertThat(last).isEqualTo(TknControlResult.PAYLOAD_TOO_LARGE);
      assertThat(control.frameLength()).isZero();
    }
    assertThat(allocated).as("bytes allocated while decoding").isZero();
  }

  /** No AssertJ in here: building an assertion allocates, and this loop is measured. */
  private Enum<?> consume(UnsafeBuffer buffer, int length) {
    position = 0;
    steps = 0;
    fields = 0;
    stoppedOnData = false;
    while (true) {
      steps++;
      TknControlResult result = control.decode(buffer, position, length - position);
      int skip;
      if (result == TknControlResult.NOT_CONTROL) {
        check(control.frameLength() == 0, "not control consumes nothing");
        TknDecodeResult dataResult = data.decode(buffer, position, length - position);
        if (dataResult.needsMoreBytes() || dataResult.closesConnection()) {
          stoppedOnData = true;
          return dataResult;
        }
        check(data.type() == null || TknControlType.fromCode(data.typeCode()) == null, "disjoint");
        skip = data.frameLength();
      } else if (result == TknControlResult.FRAME) {
        readFields();
        skip = control.frameLength();
      } else if (result.isError() && !result.closesConnection()) {
        check(control.type() != null, "a skippable error names its type");
        skip = control.frameLength();
      } else {
        return result;
      }
      check(skip >= 5 && skip <= length - position, "skip a header, within the input");
      position += skip;
    }
  }

  private void readFields() {
    TknControlType type = control.type();
    int end = control.payloadOffset() + control.payloadLength();
    check(control.frameLength() == 5 + control.payloadLength(), "frame is header and payload");
    check(control.payloadLength() >= type.minPayloadLength(), "at least the layout's minimum");
    check(control.payloadLength() <= type.maxPayloadLength(), "at most the layout's maximum");
    switch (type) {
      case HELLO:
        check(control.version() == TknHelloDescriptor.VERSION, "version");
        check(control.flags() == 0, "flags");
        check(control.tenantLength() <= TknHelloDescriptor.MAX_TENANT_LENGTH, "tenant length");
        check(control.tokenLength() <= TknHelloDescriptor.MAX_TOKEN_LENGTH, "token length");
        check(control.tokenOffset() + control.tokenLength() == end, "token ends the payload");
        fields += control.tenantLength() + control.tokenLength();
        break;
      case READY:
        check(control.version() == TknHelloDescriptor.VERSION, "version");
        fields += control.credit() + control.maxPayloadLength() + control.sessionIdLength();
        break;
      case ACK:
        fields += control.frames() + control.symbols() + control.tokens() + control.credit();
        break;
      case ERROR:
        check(control.messageOffset() + control.messageLength() == end, "message ends payload");
        fields += control.errorCode() + control.errorFrame();
        break;
      case FLUSH:
        fields += control.requestId();
        break;
      case FLUSHED:
        fields += control.requestId() + control.tokens();
        break;
      default:
        throw new AssertionError("unknown control type");
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
