package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealed chunks go to disk at checkpoints, as one pack per series; loading reads them back. */
class SeriesStoreTest {

  private static final long ID = 7;
  private static final ChunkCache CACHE = new ChunkCache(1 << 20);

  private static Block block(long firstTimestamp, int count) {
    long[] timestamps = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      timestamps[i] = firstTimestamp + i;
      values[i] = firstTimestamp + i * 0.5;
    }
    return Block.onHeap(timestamps, values, count);
  }

  private static Path seriesDirectory(Path dataDirectory) {
    return SeriesStore.directoryOf(dataDirectory, ID);
  }

  private static String[] files(Path dataDirectory) throws IOException {
    try (Stream<Path> files = Files.list(seriesDirectory(dataDirectory))) {
      return files.map(file -> file.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  private static void checkpoint(SeriesStore store) throws IOException {
    store.prepareCheckpoint(new long[0], new double[0], 0).persist(new Pacer());
  }

  @Test
  void sealingWritesNothingAndACheckpointWritesOnePackForAllItsChunks(@TempDir Path data)
      throws Exception {
    SeriesStore store = SeriesStore.create(data, ID, CACHE);
    store.addSealed(block(1, 100));
    store.addSealed(block(101, 50));
    store.addSealed(block(151, 10));

    assertThat(files(data)).isEmpty();
    checkpoint(store);

    assertThat(files(data)).containsExactly("chunk-00000000.tch", "chunks.durable");
    assertThat(ChunkFile.readPack(seriesDirectory(data).resolve("chunk-00000000.tch")))
        .extracting(ChunkFile.Chunk::count)
        .containsExactly(100, 50, 10);
    assertThat(Files.readString(seriesDirectory(data).resolve("chunks.durable"))).isEqualTo("3");
  }

  @Test
  void theNextCheckpointStartsANewPackAtTheNextChunkIndexAndLoadingReadsThemAll(@TempDir Path data)
      throws Exception {
    SeriesStore store = SeriesStore.create(data, ID, CACHE);
    store.addSealed(block(1, 100));
    store.addSealed(block(101, 100));
    checkpoint(store);
    checkpoint(store); // nothing sealed meanwhile: no empty pack
    store.addSealed(block(201, 30));
    checkpoint(store);

    assertThat(files(data))
        .containsExactly("chunk-00000000.tch", "chunk-00000002.tch", "chunks.durable");
    SeriesData reloaded = new SeriesData(4096);
    SeriesStore again = SeriesStore.load(data, ID, reloaded, CACHE);
    assertThat(reloaded.pointCount()).isEqualTo(230);
    assertThat(reloaded.latest().orElseThrow().timestamp()).isEqualTo(230);

    again.addSealed(block(231, 5));
    checkpoint(again);
    assertThat(files(data)).contains("chunk-00000003.tch");
  }

  @Test
  void filesHoldingOneChunkEachFromEarlierVersionsStillLoad(@TempDir Path data) throws Exception {
    SeriesStore.create(data, ID, CACHE);
    for (int i = 0; i < 3; i++) {
      long first = 1 + i * 10L;
      long[] timestamps = new long[10];
      double[] values = new double[10];
      for (int j = 0; j < 10; j++) {
        timestamps[j] = first + j;
        values[j] = j;
      }
      ChunkFile.write(
          seriesDirectory(data).resolve(String.format("chunk-%08x.tch", i)),
          ID,
          timestamps,
          values,
          10);
    }
    Files.writeString(seriesDirectory(data).resolve("chunks.durable"), "3");

    SeriesData reloaded = new SeriesData(4096);
    SeriesStore store = SeriesStore.load(data, ID, reloaded, CACHE);
    assertThat(reloaded.pointCount()).isEqualTo(30);

    store.addSealed(block(31, 10));
    checkpoint(store);
    assertThat(files(data)).contains("chunk-00000003.tch");
  }

  @Test
  void aTornPackTheCheckpointDidNotFinishIsDeletedButADamagedFinishedOneIsRefused(
      @TempDir Path data) throws Exception {
    SeriesStore store = SeriesStore.create(data, ID, CACHE);
    store.addSealed(block(1, 100));
    checkpoint(store);
    store.addSealed(block(101, 100));
    store.addSealed(block(201, 100));
    checkpoint(store);
    Path second = seriesDirectory(data).resolve("chunk-00000001.tch");
    byte[] bytes = Files.readAllBytes(second);
    Files.write(second, java.util.Arrays.copyOf(bytes, bytes.length - 7));

    // As if the crash came before the second checkpoint recorded its chunks as durable.
    Files.writeString(seriesDirectory(data).resolve("chunks.durable"), "1");
    SeriesData reloaded = new SeriesData(4096);
    SeriesStore.load(data, ID, reloaded, CACHE);
    assertThat(reloaded.pointCount()).isEqualTo(100);
    assertThat(files(data)).containsExactly("chunk-00000000.tch", "chunks.durable");

    // The same damage to a pack the checkpoint finished is not a crash artefact.
    store = SeriesStore.create(data, ID, CACHE);
    store.addSealed(block(1, 100));
    store.addSealed(block(101, 100));
    checkpoint(store);
    Path first = seriesDirectory(data).resolve("chunk-00000000.tch");
    bytes = Files.readAllBytes(first);
    Files.write(first, java.util.Arrays.copyOf(bytes, bytes.length - 7));
    assertThatThrownBy(() -> SeriesStore.load(data, ID, new SeriesData(4096), CACHE))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("chunk-00000000.tch");
  }

  @Test
  void aCheckpointOfADroppedSeriesWritesNothing(@TempDir Path data) throws Exception {
    SeriesStore store = SeriesStore.create(data, ID, CACHE);
    store.addSealed(block(1, 100));
    SeriesStore.PendingCheckpoint pending = store.prepareCheckpoint(new long[0], new double[0], 0);
    store.delete();

    pending.persist(new Pacer());
    assertThat(seriesDirectory(data)).doesNotExist();
  }
}
