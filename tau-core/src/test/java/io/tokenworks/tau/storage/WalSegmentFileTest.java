package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalSegmentFileTest {

  private static final int WINDOW = (int) WalSegmentFile.WINDOW_BYTES;

  @TempDir Path directory;

  private static byte[] data(int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 131 + 7);
    }
    return data;
  }

  private void assertOnDisk(byte[] data) throws IOException {
    byte[] onDisk = Files.readAllBytes(WalFormat.segmentPath(directory, 7));
    assertThat(onDisk).hasSize(16 + data.length);
    assertThat(Arrays.copyOfRange(onDisk, 16, onDisk.length)).isEqualTo(data);
  }

  private static void write(WalSegmentFile file, byte[] data, int from, int to) throws IOException {
    file.write(Arrays.copyOfRange(data, from, to), to - from);
  }

  private static void prepareFully(WalSegmentFile file) throws IOException {
    while (file.prepareAhead(WINDOW / 3)) {
      // next step
    }
  }

  @Test
  void writesAcrossWindowsAndIsCutToItsBytesWhenClosed() throws IOException {
    AtomicInteger wanted = new AtomicInteger();
    WalSegmentFile file =
        new WalSegmentFile(WalFormat.createSegment(directory, 7), 16, wanted::incrementAndGet);
    Path path = WalFormat.segmentPath(directory, 7);
    byte[] data = data(2 * WINDOW + 12_345);
    // Pieces that end mid-window, fill the first window (it starts after the header) exactly, and
    // cross into the next two.
    int[] cuts = {1000, WINDOW, data.length};
    int from = 0;
    for (int cut : cuts) {
      write(file, data, from, cut);
      from = cut;
    }
    file.force();
    assertThat(file.end()).isEqualTo(16L + data.length);
    // Nothing was prepared: the writer mapped both later windows itself, and asked each time.
    assertThat(file.windowsMappedByWriter()).isEqualTo(2);
    assertThat(wanted).hasValue(2);
    // Open, the file runs on in zeros to the end of the mapped window.
    assertThat(Files.size(path)).isGreaterThan(file.end());

    file.close();
    assertOnDisk(data);
  }

  @Test
  void theWriterTakesOverWindowsPreparedAheadAndSkipsOnesItHasPassed() throws IOException {
    WalSegmentFile file = new WalSegmentFile(WalFormat.createSegment(directory, 7), 16, () -> {});
    byte[] data = data(4 * WINDOW);
    write(file, data, 0, 1000);
    prepareFully(file);
    // Into the second window, which was prepared: no map of its own.
    write(file, data, 1000, WINDOW + 50);
    assertThat(file.windowsMappedByWriter()).isZero();

    // The preparer starts on the third window but the writer gets past it first.
    assertThat(file.prepareAhead(WINDOW / 4)).isTrue();
    write(file, data, WINDOW + 50, 3 * WINDOW - 20);
    assertThat(file.windowsMappedByWriter()).isEqualTo(1);
    // The half-prepared window is dropped for the one after the writer's.
    prepareFully(file);
    write(file, data, 3 * WINDOW - 20, data.length);
    assertThat(file.windowsMappedByWriter()).isEqualTo(1);
    // Already prepared: another call has nothing to do.
    prepareFully(file);
    assertThat(file.prepareAhead(WINDOW)).isFalse();

    file.close();
    assertOnDisk(data);
  }

  @Test
  void aPreparerRunningBesideTheWriterLosesNoByte() throws Exception {
    WalSegmentFile file = new WalSegmentFile(WalFormat.createSegment(directory, 7), 16, () -> {});
    byte[] data = data(6 * WINDOW + 777);
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread preparer =
        new Thread(
            () -> {
              try {
                while (!done.get()) {
                  file.prepareAhead(64 * 1024);
                }
              } catch (Throwable t) {
                failed.set(t);
              }
            });
    preparer.start();
    Random random = new Random(42);
    int from = 0;
    while (from < data.length) {
      int to = Math.min(data.length, from + 1 + random.nextInt(256 * 1024));
      write(file, data, from, to);
      from = to;
    }
    done.set(true);
    preparer.join();
    assertThat(failed.get()).isNull();
    file.close();
    assertOnDisk(data);
  }
}
