package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one series' files live: {@code series/<id as 16 hex digits>/}, holding its sealed chunks
 * {@code chunk-<8 hex digits>.tch} in order and, after a checkpoint, {@code head.tch} with the
 * head's points then. The directory name comes from the numeric id in the manifest, never from the
 * label.
 */
public final class SeriesStore {

  static final String SERIES_DIRECTORY = "series";
  private static final String HEAD_FILE = "head.tch";
  private static final String DURABLE_FILE = "chunks.durable";

  private final Path directory;
  private final long seriesId;
  private int nextChunk;

  /** Chunks written since the last {@link #forceChunks()}: the WAL still holds their points. */
  private final java.util.List<Path> unforced = new ArrayList<>();

  private SeriesStore(Path directory, long seriesId, int nextChunk) {
    this.directory = directory;
    this.seriesId = seriesId;
    this.nextChunk = nextChunk;
  }

  /** Creates the (empty) directory of a new series. */
  public static SeriesStore create(Path dataDirectory, long seriesId) throws IOException {
    Path directory = directoryOf(dataDirectory, seriesId);
    if (Files.exists(directory)) {
      deleteRecursively(directory);
    }
    Files.createDirectories(directory);
    DurableFiles.forceDirectory(directory.getParent());
    return new SeriesStore(directory, seriesId, 0);
  }

  /**
   * Opens an existing series directory and loads its chunks and head snapshot into {@code data}.
   */
  public static SeriesStore load(Path dataDirectory, long seriesId, SeriesData data)
      throws IOException {
    Path directory = directoryOf(dataDirectory, seriesId);
    Files.createDirectories(directory);
    List<Path> chunks = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "chunk-*.tch")) {
      files.forEach(chunks::add);
    }
    Collections.sort(chunks);
    int durable = durableChunks(directory);
    for (int i = 0; i < chunks.size(); i++) {
      Path file = chunks.get(i);
      ChunkFile.Chunk chunk;
      try {
        chunk = ChunkFile.read(file);
      } catch (ChunkFile.CorruptChunkException e) {
        if (chunkIndex(file) < durable) {
          throw e; // forced at a checkpoint: this is damage, not a crash artefact
        }
        // Written after the last checkpoint and torn by a power loss: its points are still in the
        // WAL.
        for (Path later : chunks.subList(i, chunks.size())) {
          Files.deleteIfExists(later);
        }
        chunks = chunks.subList(0, i);
        break;
      }
      checkOwner(file, chunk.seriesId(), seriesId);
      data.addRecoveredBlock(chunk.timestamps(), chunk.values(), chunk.count());
    }
    Path head = directory.resolve(HEAD_FILE);
    if (Files.exists(head)) {
      ChunkFile.Chunk chunk = ChunkFile.read(head);
      checkOwner(head, chunk.seriesId(), seriesId);
      data.appendRecovered(chunk.timestamps(), chunk.values(), 0, chunk.count());
    }
    int next = chunks.isEmpty() ? 0 : chunkIndex(chunks.get(chunks.size() - 1)) + 1;
    return new SeriesStore(directory, seriesId, next);
  }

  private static int chunkIndex(Path file) {
    return Integer.parseUnsignedInt(file.getFileName().toString().substring(6, 14), 16);
  }

  private static int durableChunks(Path directory) throws IOException {
    Path file = directory.resolve(DURABLE_FILE);
    if (!Files.exists(file)) {
      return 0;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IOException(file + " is corrupt: \"" + text + "\" is not a chunk count");
    }
  }

  private static void checkOwner(Path file, long found, long expected) throws IOException {
    if (found != expected) {
      throw new IOException(
          "chunk " + file + " belongs to series id " + found + ", not " + expected);
    }
  }

  /**
   * Writes a sealed block as the next chunk file without forcing it: its points stay in the WAL
   * until the next checkpoint, which calls {@link #forceChunks()} before any WAL segment is
   * deleted. Forcing at every seal cost two fsyncs per 4096 points on the actor's thread and capped
   * batch ingest.
   */
  public void writeChunk(Block block) throws IOException {
    Path file = directory.resolve(String.format("chunk-%08x.tch", nextChunk));
    ChunkFile.write(file, seriesId, block.timestamps, block.values, block.count(), false);
    unforced.add(file);
    nextChunk++;
  }

  /**
   * Forces every chunk written since the last call, then the directory, then records how many
   * chunks are durable ({@code chunks.durable}), so recovery can tell a chunk torn by a power loss
   * (newer: the WAL has its points) from real corruption (older: refuse to open).
   */
  public void forceChunks() throws IOException {
    if (unforced.isEmpty()) {
      return;
    }
    for (Path file : unforced) {
      DurableFiles.force(file);
    }
    DurableFiles.forceDirectory(directory);
    unforced.clear();
    DurableFiles.writeAtomically(
        directory.resolve(DURABLE_FILE),
        Integer.toString(nextChunk).getBytes(StandardCharsets.US_ASCII));
  }

  /** Persists the head's current points (or removes the snapshot when the head is empty). */
  public void writeHead(long[] timestamps, double[] values, int count) throws IOException {
    Path file = directory.resolve(HEAD_FILE);
    if (count == 0) {
      Files.deleteIfExists(file);
      return;
    }
    ChunkFile.write(file, seriesId, timestamps, values, count);
  }

  /** Deletes the series' directory and everything in it. */
  public void delete() throws IOException {
    deleteRecursively(directory);
  }

  static Path directoryOf(Path dataDirectory, long seriesId) {
    return dataDirectory.resolve(SERIES_DIRECTORY).resolve(String.format("%016x", seriesId));
  }

  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * Deletes series directories whose id is not in {@code live} (left by a drop that crashed
   * midway).
   */
  public static void deleteOrphans(Path dataDirectory, java.util.Set<Long> live)
      throws IOException {
    Path root = dataDirectory.resolve(SERIES_DIRECTORY);
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> directories = Files.newDirectoryStream(root)) {
      for (Path directory : directories) {
        String name = directory.getFileName().toString();
        boolean ours =
            name.length() == 16 && name.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        if (ours && !live.contains(Long.parseUnsignedLong(name, 16))) {
          deleteRecursively(directory);
        }
      }
    }
  }
}
