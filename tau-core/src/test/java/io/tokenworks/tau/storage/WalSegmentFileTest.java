package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalSegmentFileTest {

  @TempDir Path directory;

  @Test
  void writesAcrossWindowsAndIsCutToItsBytesWhenClosed() throws IOException {
    WalSegmentFile file = new WalSegmentFile(WalFormat.createSegment(directory, 7), 16);
    Path path = WalFormat.segmentPath(directory, 7);
    byte[] data = new byte[(int) (2 * WalSegmentFile.WINDOW_BYTES + 12_345)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 131 + 7);
    }
    // Pieces that end mid-window, fill the first window (it starts after the header) exactly, and
    // cross into the next two.
    int[] cuts = {1000, (int) WalSegmentFile.WINDOW_BYTES, data.length};
    int from = 0;
    for (int cut : cuts) {
      file.write(Arrays.copyOfRange(data, from, cut), cut - from);
      from = cut;
    }
    file.force();
    assertThat(file.end()).isEqualTo(16L + data.length);
    // Open, the file runs on in zeros to the end of the mapped window.
    assertThat(Files.size(path)).isGreaterThan(file.end());

    file.close();
    byte[] onDisk = Files.readAllBytes(path);
    assertThat(onDisk).hasSize(16 + data.length);
    assertThat(Arrays.copyOfRange(onDisk, 16, onDisk.length)).isEqualTo(data);
  }
}
