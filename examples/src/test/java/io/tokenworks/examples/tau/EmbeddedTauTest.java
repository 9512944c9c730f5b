package io.tokenworks.examples.tau;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedTauTest {

  @Test
  void exampleRunsTwiceOnTheSameDataAndKeepsAppending(@TempDir Path directory) {
    String first = capture(() -> EmbeddedTau.run(directory));
    assertThat(first)
        .contains("latest: Point[timestamp=59000000000, value=25.9")
        .contains("last minute: count=60 mean=22.95")
        .contains("in °F: 68.0");
    String second = capture(() -> EmbeddedTau.run(directory));
    assertThat(second).contains("latest: Point[timestamp=118000000001");
  }

  private static String capture(Runnable body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
