package io.tokenworks.benchmarks.latzero;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Where the benchmarks put their block files, and how they remove them. */
final class BlockDirectories {

  private static final Path SHM = Path.of("/dev/shm");

  private BlockDirectories() {}

  /**
   * {@code /dev/shm} when this host has one, else {@code java.io.tmpdir}: blocks are meant to live
   * in memory, and a disk-backed file would add page-cache writeback to every figure.
   */
  static Path defaultBase() {
    if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
      return SHM;
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** A fresh directory of its own under {@code base}, so concurrent runs never share files. */
  static Path createUnder(Path base, String prefix) {
    try {
      return Files.createTempDirectory(base, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a block directory under " + base, e);
    }
  }

  /** Deletes {@code directory} and everything in it; a missing directory is not an error. */
  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path path : deepestFirst) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete block directory " + directory, e);
    }
  }
}
