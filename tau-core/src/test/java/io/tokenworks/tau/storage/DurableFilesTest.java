package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

  @TempDir Path directory;

  private static byte[] content(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  private static List<String> listing(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDirectWriterGoesAroundThePageCacheOnExt4AndWritesExactlyItsBytes() throws IOException {
    String type = Files.getFileStore(directory).type();
    int[] lengths = {0, 1, 511, 4095, 4096, 4097, 1 << 20, (1 << 20) + 1, (5 << 19) + 123};
    for (int length : lengths) {
      Path file = directory.resolve("pack-" + length);
      byte[] bytes = content(length);
      try (DurableFiles.AtomicWriter writer = DurableFiles.AtomicWriter.openDirect(file)) {
        if (type.equals("ext4") || type.equals("xfs")) {
          assertThat(writer.isDirect()).as("O_DIRECT on %s", type).isTrue();
        }
        // In uneven pieces, some larger than the writer's buffer.
        int from = 0;
        int piece = 1;
        while (from < length) {
          int n = Math.min(length - from, piece);
          writer.write(bytes, from, n);
          from += n;
          piece = piece * 7 + 3;
        }
        writer.commit();
      }
      assertThat(Files.size(file)).isEqualTo(length);
      assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }
    assertThat(listing(directory)).noneMatch(name -> name.endsWith(".tmp"));
  }

  @Test
  void aDirectWriterClosedUncommittedLeavesTheOldFile() throws IOException {
    Path file = directory.resolve("pack");
    Files.write(file, new byte[] {1, 2, 3});
    try (DurableFiles.AtomicWriter writer = DurableFiles.AtomicWriter.openDirect(file)) {
      writer.write(content(3_000_000));
    }
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    assertThat(listing(directory)).containsExactly("pack");
  }

  @Test
  void whereDirectWritesAreRefusedItWritesThroughThePageCache() throws IOException {
    // tmpfs (/dev/shm) has no O_DIRECT on most kernels: the writer falls back, and either way the
    // content is exact. Without /dev/shm the temporary directory stands in.
    Path shm = Path.of("/dev/shm");
    Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : directory;
    Path scratch = Files.createTempDirectory(base, "durable-files-test");
    List<Path> created = new ArrayList<>();
    try {
      Path file = scratch.resolve("pack");
      created.add(file);
      byte[] bytes = content(1_234_567);
      try (DurableFiles.AtomicWriter writer = DurableFiles.AtomicWriter.openDirect(file)) {
        writer.write(bytes);
        writer.commit();
      }
      assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    } finally {
      for (Path path : created) {
        Files.deleteIfExists(path);
      }
      Files.deleteIfExists(scratch);
    }
  }
}
