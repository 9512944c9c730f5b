package io.tokenworks.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.tau.TauDecodeResult;
import io.tokenworks.protocol.tau.TauFrame;
import io.tokenworks.protocol.tau.TauFrameDecoder;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauLabel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's codec snippet compiling and true: the body of {@link #readme} is pasted there.
 */
class ReadmeExampleTest {

  @Test
  void readmeSnippetDecodesTheAppendItEncoded() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      readme();
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("APPEND temp 1 22.5\n");
  }

  private static void readme() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    int length = TauFrameEncoder.append(buffer, 0, TauLabel.of("temp"), 1L, 22.5);

    TauFrameDecoder decoder = new TauFrameDecoder(); // one per connection
    TauDecodeResult result = decoder.decode(buffer, 0, length);
    switch (result) {
      case FRAME -> {
        TauFrame frame = decoder.frame(); // valid until the buffer changes
        System.out.println(
            frame.opcode() + " " + frame.label(0) + " " + frame.timestamp() + " " + frame.value());
      }
      case NEED_MORE ->
          System.out.println("read at least " + decoder.frameLength() + " bytes, then call again");
      default ->
          System.out.println(
              "answer ERR " + result.status() + (result.closesConnection() ? ", then close" : ""));
    }
  }
}
