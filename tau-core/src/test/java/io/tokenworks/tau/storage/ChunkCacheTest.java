package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.tau.TauError;
import io.tokenworks.tau.TauException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored chunks are read back from their pack once and kept within the cache's budget. */
class ChunkCacheTest {

  private static final int POINTS = 16;
  private static final long CHUNK_BYTES = 16L * POINTS;

  /** Stores {@code chunks} blocks of 16 points (value = 2 × timestamp) as one pack. */
  private static List<StoredChunk> store(Path directory, ChunkCache cache, int chunks)
      throws Exception {
    SeriesStore store = SeriesStore.create(directory, 3, cache);
    for (int c = 0; c < chunks; c++) {
      long[] timestamps = new long[POINTS];
      double[] values = new double[POINTS];
      for (int i = 0; i < POINTS; i++) {
        timestamps[i] = c * POINTS + i;
        values[i] = 2.0 * timestamps[i];
      }
      store.addSealed(Block.onHeap(timestamps, values, POINTS));
    }
    return store.prepareCheckpoint(new long[0], new double[0], 0).persist(new Pacer());
  }

  private static void assertHolds(StoredChunk chunk, int index) {
    Block points = chunk.points();
    assertThat(points.count()).isEqualTo(POINTS);
    for (int i = 0; i < POINTS; i++) {
      assertThat(points.timestamp(i)).isEqualTo(index * POINTS + i);
      assertThat(points.value(i)).isEqualTo(2.0 * (index * POINTS + i));
    }
  }

  @Test
  void aChunkIsReadFromItsPackOnceWhileTheCacheKeepsIt(@TempDir Path directory) throws Exception {
    ChunkCache cache = new ChunkCache(1 << 20);
    List<StoredChunk> chunks = store(directory, cache, 3);

    for (int round = 0; round < 3; round++) {
      for (int c = 0; c < chunks.size(); c++) {
        assertHolds(chunks.get(c), c);
      }
    }
    assertThat(cache.reads()).isEqualTo(3);
    assertThat(cache.keptBytes()).isEqualTo(3 * CHUNK_BYTES);
  }

  @Test
  void theBudgetEvictsTheOldestChunkNotReadSinceTheLastRound(@TempDir Path directory)
      throws Exception {
    ChunkCache cache = new ChunkCache(2 * CHUNK_BYTES);
    List<StoredChunk> chunks = store(directory, cache, 3);
    assertHolds(chunks.get(0), 0);
    assertHolds(chunks.get(1), 1);
    assertHolds(chunks.get(2), 2); // over budget: 0 and 1 lose their second chance, 0 goes
    assertThat(cache.keptBytes()).isEqualTo(2 * CHUNK_BYTES);
    assertThat(cache.reads()).isEqualTo(3);

    assertHolds(chunks.get(1), 1); // kept: no read
    assertThat(cache.reads()).isEqualTo(3);
    assertHolds(chunks.get(0), 0); // evicted: read again, and 2 (not read since) goes
    assertThat(cache.reads()).isEqualTo(4);
    assertHolds(chunks.get(1), 1);
    assertThat(cache.reads()).isEqualTo(4);
    assertHolds(chunks.get(2), 2);
    assertThat(cache.reads()).isEqualTo(5);
    assertThat(cache.keptBytes()).isEqualTo(2 * CHUNK_BYTES);
  }

  @Test
  void aCacheWithoutBudgetReadsEveryTime(@TempDir Path directory) throws Exception {
    ChunkCache cache = new ChunkCache(0);
    List<StoredChunk> chunks = store(directory, cache, 1);
    assertHolds(chunks.get(0), 0);
    assertHolds(chunks.get(0), 0);
    assertThat(cache.reads()).isEqualTo(2);
    assertThat(cache.keptBytes()).isZero();
    assertThatThrownBy(() -> new ChunkCache(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPackThatIsGoneOrDamagedIsAStorageFailureNamingIt(@TempDir Path directory) throws Exception {
    ChunkCache cache = new ChunkCache(0);
    List<StoredChunk> chunks = store(directory, cache, 2);
    Path pack = chunks.get(0).pack();
    byte[] bytes = Files.readAllBytes(pack);
    StoredChunk second = chunks.get(1);
    bytes[(int) (second.offset() + second.length() - 3)] ^= 0x40; // inside its payload
    Files.write(pack, bytes);

    assertHolds(chunks.get(0), 0);
    assertThatThrownBy(() -> chunks.get(1).points())
        .isInstanceOfSatisfying(
            TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.STORAGE_FAILURE))
        .hasMessageContaining(pack.toString())
        .hasMessageContaining("CRC32C");

    StoredChunk misindexed =
        new StoredChunk(
            cache,
            pack,
            chunks.get(0).offset(),
            chunks.get(0).length(),
            POINTS - 1,
            POINTS - 2,
            null);
    assertThatThrownBy(misindexed::points)
        .isInstanceOfSatisfying(
            TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.STORAGE_FAILURE))
        .hasMessageContaining("indexed when it was stored");

    Files.delete(pack);
    assertThatThrownBy(() -> chunks.get(0).points())
        .isInstanceOfSatisfying(
            TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.STORAGE_FAILURE))
        .hasMessageContaining(pack.toString());
  }
}
