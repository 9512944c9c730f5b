package io.tokenworks.examples.latzero;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedLatZeroTest {

  @Test
  void exampleCallsEmitsAndSharesABlockTwiceOnTheSameData(@TempDir Path dataDir) {
    for (int run = 0; run < 2; run++) {
      String output = capture(() -> EmbeddedLatZero.run(dataDir, dataDir.resolve("memory")));
      assertThat(output)
          .contains("result: hello, Ada")
          .contains("greeter heard hello from caller: \"a fire-and-forget event\"")
          .contains("block says: shared hello (version 1)");
    }
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
