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
import java.util.Set;
import java.util.stream.Stream;
import org.agrona.ExpandableArrayBuffer;

/**
 * Where one series' files live: {@code series/<id as 16 hex digits>/}, holding its sealed chunks in
 * packs {@code chunk-<index of the pack's first chunk, 8 hex digits>.tch} (see {@link ChunkFile})
 * and, after a checkpoint, {@code head.tch} with the head's points then. The directory name comes
 * from the numeric id in the manifest, never from the label.
 *
 * <p>Sealing a chunk does no I/O: the sealed block stays in memory (where reads find it anyway) and
 * the WAL holds its points, and the next checkpoint writes every chunk sealed since the last one as
 * one pack. From then on the series reads those chunks from the pack ({@link StoredChunk}, through
 * the engine's {@link ChunkCache}) and the blocks' memory is recycled. One file per series per
 * checkpoint instead of one per chunk: creating a file cost ~3 ms of CPU on a busy ext4 (inode
 * allocation skips recently freed inodes), which at 870K points/s was a quarter of a 2-core
 * machine.
 */
public final class SeriesStore {

  static final String SERIES_DIRECTORY = "series";
  private static final String HEAD_FILE = "head.tch";
  private static final String DURABLE_FILE = "chunks.durable";

  private final Path directory;
  private final long seriesId;
  private final ChunkCache cache;

  /** Index of the first chunk not yet handed to a checkpoint. */
  private int nextChunk;

  /** Chunks sealed since the last {@link #prepareCheckpoint}: the WAL still holds their points. */
  private final List<Block> sealed = new ArrayList<>();

  private SeriesStore(Path directory, long seriesId, ChunkCache cache, int nextChunk) {
    this.directory = directory;
    this.seriesId = seriesId;
    this.cache = cache;
    this.nextChunk = nextChunk;
  }

  /**
   * Creates the (empty) directory of a new series, whose stored chunks are read back through {@code
   * cache}.
   */
  public static SeriesStore create(Path dataDirectory, long seriesId, ChunkCache cache)
      throws IOException {
    Path directory = directoryOf(dataDirectory, seriesId);
    if (Files.exists(directory)) {
      deleteRecursively(directory);
    }
    Files.createDirectories(directory);
    DurableFiles.forceDirectory(directory.getParent());
    return new SeriesStore(directory, seriesId, cache, 0);
  }

  /**
   * Opens an existing series directory and loads its chunk packs (as stored chunks, read through
   * {@code cache} when a query reaches them, their checksums checked then; opening reads each
   * pack's index, see {@link ChunkFile#indexPack}) and head snapshot into {@code data}. A damaged
   * pack that the last checkpoint did not finish (its first chunk at or beyond {@code
   * chunks.durable}) is a crash artefact: it and any later pack are deleted, their points come back
   * from the WAL. A damaged index in, or a cut of, a pack the checkpoint completed is refused; a
   * damaged chunk is found when a query reads it.
   */
  public static SeriesStore load(
      Path dataDirectory, long seriesId, SeriesData data, ChunkCache cache) throws IOException {
    Path directory = directoryOf(dataDirectory, seriesId);
    Files.createDirectories(directory);
    List<Path> packs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "chunk-*.tch")) {
      files.forEach(packs::add);
    }
    Collections.sort(packs);
    int durable = durableChunks(directory);
    int next = 0;
    for (int i = 0; i < packs.size(); i++) {
      Path file = packs.get(i);
      List<ChunkFile.Image> chunks;
      try {
        chunks = ChunkFile.indexPack(file);
      } catch (ChunkFile.CorruptChunkException e) {
        if (chunkIndex(file) < durable) {
          throw e; // forced by a finished checkpoint: this is damage, not a crash artefact
        }
        for (Path later : packs.subList(i, packs.size())) {
          Files.deleteIfExists(later);
        }
        break;
      }
      for (ChunkFile.Image chunk : chunks) {
        checkOwner(file, chunk.seriesId(), seriesId);
        data.addStored(
            new StoredChunk(
                cache,
                file,
                chunk.offset(),
                chunk.length(),
                chunk.count(),
                chunk.maxTs(),
                chunk.values()),
            chunk.minTs());
      }
      next = chunkIndex(file) + chunks.size();
    }
    Path head = directory.resolve(HEAD_FILE);
    if (Files.exists(head)) {
      ChunkFile.Chunk chunk = ChunkFile.read(head);
      checkOwner(head, chunk.seriesId(), seriesId);
      data.appendRecovered(chunk.timestamps(), chunk.values(), 0, chunk.count());
    }
    return new SeriesStore(directory, seriesId, cache, next);
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
   * Keeps a sealed block for the next checkpoint's pack. No I/O: the block is in memory and
   * immutable, and the WAL holds its points until that checkpoint is done.
   */
  public void addSealed(Block block) {
    sealed.add(block);
  }

  /**
   * The series' share of a checkpoint, taken on the actor's thread without I/O: the chunks sealed
   * since the last checkpoint and the head's points now. {@link PendingCheckpoint#persist} does the
   * encoding, writing and forcing later on the checkpoint thread, so the actor keeps serving
   * appends meanwhile.
   */
  public PendingCheckpoint prepareCheckpoint(
      long[] headTimestamps, double[] headValues, int headCount) {
    List<Block> blocks = List.copyOf(sealed);
    sealed.clear();
    int firstChunk = nextChunk;
    nextChunk += blocks.size();
    byte[] head =
        headCount == 0 ? null : ChunkFile.encode(seriesId, headTimestamps, headValues, headCount);
    return new PendingCheckpoint(directory, seriesId, cache, blocks, firstChunk, head);
  }

  /**
   * What a checkpoint must make durable for one series; see {@link #prepareCheckpoint}. {@code
   * blocks} are sealed and never change, so another thread may read them.
   */
  public record PendingCheckpoint(
      Path directory,
      long seriesId,
      ChunkCache cache,
      List<Block> blocks,
      int firstChunk,
      byte[] head) {

    /**
     * Writes the sealed blocks as one forced pack, writes the head snapshot (or removes it when the
     * head was empty) and then records how many chunks are durable ({@code chunks.durable}), so
     * recovery can tell a pack torn by a crash (at or beyond that count: the WAL still has its
     * points) from real damage (below it: refuse to open). Skips a series dropped meanwhile.
     *
     * @return the stored chunks now holding {@link #blocks}'s points, in order (none when the
     *     series was dropped meanwhile)
     */
    public List<StoredChunk> persist(Pacer pacer) throws IOException {
      if (!Files.isDirectory(directory)) {
        return List.of();
      }
      List<StoredChunk> stored = new ArrayList<>(blocks.size());
      if (!blocks.isEmpty()) {
        Path pack = directory.resolve(String.format("chunk-%08x.tch", firstChunk));
        int largest = blocks.stream().mapToInt(Block::count).max().orElseThrow();
        long[] timestamps = new long[largest];
        double[] values = new double[timestamps.length];
        ExpandableArrayBuffer image = new ExpandableArrayBuffer(64 * 1024);
        long offset = 0;
        List<ChunkFile.Image> images = new ArrayList<>(blocks.size());
        try (DurableFiles.AtomicWriter writer = DurableFiles.AtomicWriter.openDirect(pack)) {
          for (Block block : blocks) {
            long started = System.nanoTime();
            int count = block.count();
            block.copyTo(timestamps, values, count);
            int length = ChunkFile.encode(seriesId, timestamps, values, count, image);
            writer.write(image.byteArray(), 0, length);
            ValueSummary summary = ValueSummary.of(values, count);
            stored.add(
                new StoredChunk(
                    cache, pack, offset, length, count, timestamps[count - 1], summary));
            images.add(
                new ChunkFile.Image(
                    offset,
                    length,
                    count,
                    timestamps[0],
                    timestamps[count - 1],
                    seriesId,
                    summary));
            offset += length;
            // A checkpoint encodes and writes every chunk sealed since the last one (~0.5 s of CPU
            // per 256 MiB of WAL); taken in one burst it starved the network threads of a 2-core
            // machine for that long.
            pacer.worked(System.nanoTime() - started);
          }
          // The index at the end lets opening read one region per pack, not every point.
          writer.write(PackIndex.write(images));
          writer.commit();
        }
      }
      if (head == null) {
        Files.deleteIfExists(directory.resolve(HEAD_FILE));
      } else {
        DurableFiles.writeAtomically(directory.resolve(HEAD_FILE), head);
      }
      DurableFiles.writeAtomically(
          directory.resolve(DURABLE_FILE),
          Integer.toString(firstChunk + blocks.size()).getBytes(StandardCharsets.US_ASCII));
      return stored;
    }
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
  public static void deleteOrphans(Path dataDirectory, Set<Long> live) throws IOException {
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
