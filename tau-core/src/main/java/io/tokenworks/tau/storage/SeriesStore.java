package io.tokenworks.tau.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
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

  /** Chunks written since the last {@link #prepareCheckpoint}: the WAL still holds their points. */
  private final List<Path> unforced = new ArrayList<>();

  /**
   * The last chunk write handed to a writer by {@link #writeChunkLater}; each waits for the one
   * before it, so the chunks of a series reach the disk in order.
   */
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

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
   * Writes a sealed block as the next chunk file now, without forcing it: its points stay in the
   * WAL until the next checkpoint, which calls {@link #prepareCheckpoint} before any WAL segment is
   * deleted. Forcing at every seal cost two fsyncs per 4096 points on the actor's thread and capped
   * batch ingest. Recovery uses this; a running series uses {@link #writeChunkLater}.
   */
  public void writeChunk(Block block) throws IOException {
    writeChunkFile(nextChunkFile(), block);
  }

  /**
   * Writes a sealed block as the next chunk file on {@code writer}, after the series' earlier
   * chunks, and returns when that is done. The caller (the series' actor, often a network thread)
   * does no file I/O: creating, writing and renaming a chunk file took up to ~10 ms and made every
   * request queued behind it wait. The block is sealed, so nothing changes it meanwhile; the next
   * {@link #prepareCheckpoint} waits for the write before it forces the file.
   */
  public CompletableFuture<Void> writeChunkLater(Block block, Executor writer) {
    Path file = nextChunkFile();
    CompletableFuture<Void> write =
        lastWrite
            .handle((ignored, failure) -> null)
            .thenRunAsync(
                () -> {
                  try {
                    writeChunkFile(file, block);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                },
                writer);
    lastWrite = write;
    return write;
  }

  private Path nextChunkFile() {
    Path file = directory.resolve(String.format("chunk-%08x.tch", nextChunk));
    unforced.add(file);
    nextChunk++;
    return file;
  }

  private void writeChunkFile(Path file, Block block) throws IOException {
    int count = block.count();
    // Short-lived copies: they die young, so unlike the block's points they cost a collection
    // nothing.
    long[] timestamps = new long[count];
    double[] values = new double[count];
    block.copyTo(timestamps, values, count);
    ChunkFile.write(file, seriesId, timestamps, values, count, false);
  }

  /**
   * The series' share of a checkpoint, taken on the actor's thread without I/O: the chunks written
   * since the last checkpoint and the head's points now. {@link PendingCheckpoint#persist()} does
   * the forcing and writing later on the checkpoint thread, so the actor keeps serving appends
   * meanwhile.
   */
  public PendingCheckpoint prepareCheckpoint(
      long[] headTimestamps, double[] headValues, int headCount) {
    List<Path> files = List.copyOf(unforced);
    unforced.clear();
    byte[] head =
        headCount == 0 ? null : ChunkFile.encode(seriesId, headTimestamps, headValues, headCount);
    return new PendingCheckpoint(directory, files, lastWrite, nextChunk, head);
  }

  /**
   * What a checkpoint must make durable for one series; see {@link #prepareCheckpoint}. {@code
   * written} completes when the last of {@code chunks} is on disk.
   */
  public record PendingCheckpoint(
      Path directory,
      List<Path> chunks,
      CompletableFuture<Void> written,
      int durableChunks,
      byte[] head) {

    /**
     * Forces the chunks, writes the head snapshot (or removes it when the head was empty) and
     * records how many chunks are durable ({@code chunks.durable}), so recovery can tell a chunk
     * torn by a power loss (newer: the WAL has its points) from real corruption (older: refuse to
     * open). Skips a series dropped meanwhile.
     */
    public void persist() throws IOException {
      awaitWrites(written);
      if (!Files.isDirectory(directory)) {
        return;
      }
      for (Path file : chunks) {
        DurableFiles.force(file);
      }
      if (head == null) {
        Files.deleteIfExists(directory.resolve(HEAD_FILE));
      } else {
        DurableFiles.write(directory.resolve(HEAD_FILE), head, true);
      }
      DurableFiles.writeAtomically(
          directory.resolve(DURABLE_FILE),
          Integer.toString(durableChunks).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * Deletes the series' directory and everything in it, once the chunk writes already handed over
   * are done (a late one would recreate files in a deleted directory).
   */
  public void delete() throws IOException {
    lastWrite.handle((ignored, failure) -> null).join();
    deleteRecursively(directory);
  }

  private static void awaitWrites(CompletableFuture<Void> written) throws IOException {
    try {
      written.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e;
      throw new IOException("a chunk write failed: " + cause.getMessage(), cause);
    }
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
