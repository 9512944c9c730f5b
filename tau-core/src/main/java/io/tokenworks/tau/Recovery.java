package io.tokenworks.tau;

import io.tokenworks.tau.storage.BlockSupply;
import io.tokenworks.tau.storage.ChunkCache;
import io.tokenworks.tau.storage.Manifest;
import io.tokenworks.tau.storage.SeriesData;
import io.tokenworks.tau.storage.SeriesStore;
import io.tokenworks.tau.storage.Wal;
import io.tokenworks.tau.storage.WalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Opening a data directory: every series in the manifest gets its packs indexed and its head
 * snapshot loaded, directories of series dropped by a crashed drop are deleted, the WAL is replayed
 * over what the files hold (a torn tail cut), chunks sealed while replaying are queued for the next
 * checkpoint, and a new WAL segment is started after the last one.
 */
final class Recovery {

  /** A series as recovered, ready for its actor. */
  record Series(long id, Label label, SeriesData data, SeriesStore store) {}

  /** The open WAL, the series in manifest order and how many points the WAL replay added. */
  record Result(Wal wal, List<Series> series, long replayedPoints) {}

  private Recovery() {}

  static Result run(
      Path dataDirectory,
      Path walDirectory,
      TauConfig config,
      Manifest manifest,
      BlockSupply blocks,
      ChunkCache chunkCache,
      Runnable requestCheckpoint)
      throws IOException {
    Map<Long, SeriesData> byId = new HashMap<>();
    List<Series> series = new ArrayList<>();
    for (Manifest.SeriesEntry entry : manifest.series()) {
      SeriesData data = new SeriesData(blocks);
      SeriesStore store = SeriesStore.load(dataDirectory, entry.id(), data, chunkCache);
      series.add(new Series(entry.id(), entry.label(), data, store));
      byId.put(entry.id(), data);
    }
    SeriesStore.deleteOrphans(dataDirectory, byId.keySet());
    long[] replayed = new long[1];
    long lastSegment =
        WalFormat.replay(
            walDirectory,
            (seriesId, timestamps, values, count) -> {
              SeriesData data = byId.get(seriesId);
              if (data != null) {
                replayed[0] += data.appendRecovered(timestamps, values, 0, count);
              }
            });
    for (Series recovered : series) {
      for (var block : recovered.data().drainRecoveredSeals()) {
        recovered.store().addSealed(block);
      }
    }
    Wal wal =
        new Wal(
            walDirectory,
            lastSegment + 1,
            config.fsyncPolicy(),
            config.batchFsyncInterval().toNanos(),
            config.maxPendingWalBytes(),
            config.checkpointWalBytes(),
            config.observer(),
            requestCheckpoint);
    return new Result(wal, List.copyOf(series), replayed[0]);
  }
}
