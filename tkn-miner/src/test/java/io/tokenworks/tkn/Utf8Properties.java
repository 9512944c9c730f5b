package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;

class Utf8Properties {

  @Property(tries = 300)
  void wellFormedTextEncodesToStandardUtf8AndDecodesBack(@ForAll String text) {
    if (!Utf8.isWellFormed(text)) {
      return;
    }
    byte[] out = new byte[Utf8.maxEncodedLength(text.length())];
    int length = Utf8.encode(text, out);
    byte[] standard = text.getBytes(StandardCharsets.UTF_8);
    assertThat(Arrays.copyOf(out, length)).isEqualTo(standard);
    assertThat(Utf8.decode(new UnsafeBuffer(standard), 0, standard.length)).isEqualTo(text);
  }

  @Property(tries = 300)
  void anyBytesDecodeToWellFormedText(@ForAll byte[] bytes) {
    String decoded = Utf8.decode(new UnsafeBuffer(bytes), 0, bytes.length);
    assertThat(Utf8.isWellFormed(decoded)).isTrue();
    assertThat(Utf8.isWellFormed(new UnsafeBuffer(bytes), 0, bytes.length))
        .isEqualTo(Arrays.equals(decoded.getBytes(StandardCharsets.UTF_8), bytes));
  }
}
