package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Aggregate;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aggregate over stored chunks adds the summaries their pack's index keeps instead of decoding
 * their points: only the chunks at the window's edges are read back. Packs whose index predates
 * summaries are summarized the first time an aggregate covers them.
 */
class AggregateSummariesTest {

  private static final int CHUNK = 16;
  private static final int POINTS = CHUNK * 100 + 5;

  @TempDir Path directory;

  /** POINTS points valued their timestamp, every sealed chunk stored by a checkpoint. */
  private SeriesData storedSeries(ChunkCache cache) throws Exception {
    SeriesData data = new SeriesData(BlockSupply.inline(CHUNK));
    SeriesStore store = SeriesStore.create(directory, 1, cache);
    for (long t = 0; t < POINTS; t++) {
      data.ensureRoom(1);
      if (data.append(t, t)) {
        store.addSealed(data.sealHead());
      }
    }
    SeriesStore.PendingCheckpoint pending = store.prepareCheckpoint(new long[0], new double[0], 0);
    List<StoredChunk> chunks = pending.persist(new Pacer());
    data.stored(pending.blocks(), chunks);
    assertThat(chunks).hasSize(100);
    return data;
  }

  /** What the window holds, added point by point from a range query. */
  private static Aggregate pointByPoint(SeriesData data, long from, long to) {
    Aggregator aggregator = new Aggregator();
    data.range(from, to, Integer.MAX_VALUE, (t, v) -> aggregator.add(v));
    return aggregator.result();
  }

  private static Aggregate sumOfTimestamps(long from, long to) {
    long n = to - from + 1;
    return new Aggregate(n, from, to, (double) (from + to) * n / 2);
  }

  @Test
  void onlyTheChunksAtTheWindowsEdgesAreReadBack() throws Exception {
    ChunkCache cache = new ChunkCache(0); // keeps nothing: every chunk read is a read of the pack
    SeriesData data = storedSeries(cache);

    long reads = cache.reads();
    assertThat(data.aggregate(0, Long.MAX_VALUE)).isEqualTo(sumOfTimestamps(0, POINTS - 1));
    assertThat(cache.reads() - reads).isEqualTo(1); // the first chunk, which has no chunk before it

    reads = cache.reads();
    assertThat(data.aggregate(20, 1000)).isEqualTo(sumOfTimestamps(20, 1000));
    assertThat(cache.reads() - reads).isEqualTo(2);

    reads = cache.reads();
    assertThat(data.aggregate(CHUNK, CHUNK * 50 - 1)).isEqualTo(sumOfTimestamps(CHUNK, 799));
    assertThat(cache.reads() - reads).isZero(); // the window starts and ends at chunk boundaries

    long[][] windows = {
      {5, 9}, {15, 16}, {17, 1000}, {33, 1599}, {1590, 1604}, {1599, 5000}, {-9, 3}
    };
    for (long[] window : windows) {
      assertThat(data.aggregate(window[0], window[1]))
          .as("window %d..%d", window[0], window[1])
          .isEqualTo(pointByPoint(data, window[0], window[1]));
    }
    assertThat(data.aggregate(2000, 3000)).isEqualTo(Aggregate.EMPTY);
    assertThat(data.aggregate(10, 9)).isEqualTo(Aggregate.EMPTY);
  }

  @Test
  void aPackIndexedBeforeSummariesIsSummarizedByTheFirstAggregate() throws Exception {
    ChunkCache cache = new ChunkCache(0);
    storedSeries(cache);
    Path pack;
    try (var packs = Files.list(SeriesStore.directoryOf(directory, 1))) {
      pack = packs.filter(p -> p.toString().endsWith(".tch")).findFirst().orElseThrow();
    }
    Files.write(pack, withVersion1Index(Files.readAllBytes(pack)));

    SeriesData reopened = new SeriesData(BlockSupply.inline(CHUNK));
    SeriesStore.load(directory, 1, reopened, cache);
    // The checkpoint stored the sealed chunks only (no head snapshot): 1600 points.
    long reads = cache.reads();
    assertThat(reopened.aggregate(0, Long.MAX_VALUE)).isEqualTo(sumOfTimestamps(0, 1599));
    assertThat(cache.reads() - reads).isEqualTo(100); // each stored chunk once

    reads = cache.reads();
    assertThat(reopened.aggregate(0, Long.MAX_VALUE)).isEqualTo(sumOfTimestamps(0, 1599));
    assertThat(cache.reads() - reads).isEqualTo(1);
  }

  /** The pack with its index rewritten as version 1 wrote it: 40-byte entries, no summaries. */
  private static byte[] withVersion1Index(byte[] pack) {
    UnsafeBuffer bytes = new UnsafeBuffer(pack);
    int trailer = pack.length - PackIndex.TRAILER_LENGTH;
    int entries = bytes.getInt(trailer + 12, ByteOrder.LITTLE_ENDIAN);
    int indexOffset = (int) bytes.getLong(trailer + 16, ByteOrder.LITTLE_ENDIAN);
    int v1Length = entries * PackIndex.V1_ENTRY_LENGTH;
    byte[] out = new byte[indexOffset + v1Length + PackIndex.TRAILER_LENGTH];
    System.arraycopy(pack, 0, out, 0, indexOffset);
    for (int i = 0; i < entries; i++) {
      System.arraycopy(
          pack,
          indexOffset + i * PackIndex.ENTRY_LENGTH,
          out,
          indexOffset + i * PackIndex.V1_ENTRY_LENGTH,
          PackIndex.V1_ENTRY_LENGTH);
    }
    int at = indexOffset + v1Length;
    System.arraycopy(pack, trailer, out, at, PackIndex.TRAILER_LENGTH);
    UnsafeBuffer rewritten = new UnsafeBuffer(out);
    rewritten.putShort(at + 8, (short) 1, ByteOrder.LITTLE_ENDIAN);
    rewritten.putInt(
        at + 24, ChunkFile.crc32c(out, indexOffset, v1Length), ByteOrder.LITTLE_ENDIAN);
    rewritten.putInt(at + 28, ChunkFile.crc32c(out, at, 28), ByteOrder.LITTLE_ENDIAN);
    return out;
  }
}
