package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Aggregate;
import io.tokenworks.tau.Point;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesDataTest {

  @Test
  void readersSeeEverySealedBlockAsTheBlockListGrowsPastItsSpareRoom() {
    SeriesData data = new SeriesData(16);
    int points = 16 * 100 + 5; // 100 sealed blocks: the block list grows at 16, 32 and 64
    for (int t = 0; t < points; t++) {
      data.ensureRoom(1);
      if (data.append(10L * t, t)) {
        data.sealHead();
      }
      // What a reader sees right after each append, seal or not.
      assertThat(data.latest()).contains(new Point(10L * t, t));
    }
    for (int t = 0; t < points; t++) {
      assertThat(data.valueAt(10L * t)).hasValue(t);
      assertThat(data.asOf(10L * t + 5)).contains(new Point(10L * t, t));
    }
    assertThat(data.aggregate(0, Long.MAX_VALUE).count()).isEqualTo(points);
    assertThat(data.range(10L * 15, 10L * 17, 10, (timestamp, value) -> {})).isEqualTo(3);
  }

  /**
   * Appends {@code count} points valued {@code value(t)}, handing sealed blocks to {@code store}.
   */
  private static long fill(SeriesData data, SeriesStore store, long from, int count, boolean own) {
    long t = from;
    for (int i = 0; i < count; i++, t++) {
      data.ensureRoom(1);
      if (data.append(t, own ? t : -1.0 - t)) {
        Block sealed = data.sealHead();
        if (store != null) {
          store.addSealed(sealed);
        }
      }
    }
    return t;
  }

  private static int checkpoint(SeriesData data, SeriesStore store) throws Exception {
    SeriesStore.PendingCheckpoint pending = store.prepareCheckpoint(new long[0], new double[0], 0);
    List<StoredChunk> chunks = pending.persist(new Pacer());
    data.stored(pending.blocks(), chunks);
    return chunks.size();
  }

  @Test
  void storedChunksReplaceTheirBlocksWhoseMemoryTheNextSeriesReuses(@TempDir Path directory)
      throws Exception {
    BlockSupply supply = BlockSupply.inline(16);
    SeriesData first = new SeriesData(supply);
    SeriesStore store = SeriesStore.create(directory, 1, new ChunkCache(0));
    fill(first, store, 0, 16 * 10 + 3, true);
    long allocated = supply.allocated();

    assertThat(checkpoint(first, store)).isEqualTo(10);
    SeriesData second = new SeriesData(supply);
    fill(second, null, 0, 16 * 9 + 3, false);

    // Ten blocks came back; the second series' head and nine sealed blocks are those.
    assertThat(supply.allocated()).isEqualTo(allocated);
    for (long t = 0; t < 16 * 10 + 3; t++) {
      assertThat(first.valueAt(t)).hasValue(t);
    }
    assertThat(first.aggregate(0, Long.MAX_VALUE).count()).isEqualTo(16 * 10 + 3);
    assertThat(second.valueAt(5)).hasValue(-6);
  }

  @Test
  void aReleasedSeriesReadsEmptyAndItsMemoryServesTheNextSeriesOnce() {
    BlockSupply supply = BlockSupply.inline(16);
    SeriesData dropped = new SeriesData(supply);
    fill(dropped, null, 0, 16 * 5 + 7, true);
    dropped.ensureRoom(40); // two spare blocks taken ahead: eight in all, and all go back
    long allocated = supply.allocated();

    dropped.release();
    dropped.release(); // a second release must not hand the same memory out twice
    assertThat(dropped.latest()).isEmpty();
    assertThat(dropped.valueAt(3)).isEmpty();
    assertThat(dropped.range(0, Long.MAX_VALUE, 100, (t, v) -> {})).isZero();

    SeriesData first = new SeriesData(supply);
    SeriesData second = new SeriesData(supply);
    fill(first, null, 0, 16 * 3, true); // its first head, three seals: four blocks
    fill(second, null, 0, 16 * 3, false);
    assertThat(supply.allocated()).isEqualTo(allocated);
    for (long t = 0; t < 16 * 3; t++) {
      assertThat(first.valueAt(t)).hasValue(t);
      assertThat(second.valueAt(t)).hasValue(-1.0 - t);
    }
  }

  /**
   * One thread appends to a series, stores its sealed blocks and fills a second series with
   * negative values from the recycled memory, as fast as it can; readers of the first series must
   * only ever see its own points (value = timestamp), in order, none missing.
   */
  @Test
  void aReaderNeverSeesAnotherSeriesPointsThroughARecycledBlock(@TempDir Path directory)
      throws Exception {
    BlockSupply supply = BlockSupply.inline(16);
    SeriesData own = new SeriesData(supply);
    SeriesStore store = SeriesStore.create(directory, 1, new ChunkCache(1 << 20));
    AtomicLong written = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(7);
              try {
                while (!stop.get()) {
                  long known = written.get();
                  if (known == 0) {
                    continue;
                  }
                  long from = random.nextLong(known);
                  long[] expected = {from};
                  int n =
                      own.range(
                          from,
                          Long.MAX_VALUE,
                          200,
                          (t, v) -> {
                            assertThat(t).isEqualTo(expected[0]);
                            assertThat(v).isEqualTo((double) t);
                            expected[0]++;
                          });
                  assertThat(n).isEqualTo((int) Math.min(200, Math.max(0, expected[0] - from)));
                  assertThat(own.asOf(from)).contains(new Point(from, from));
                  // Whole blocks inside the window are added from summaries, worked out by
                  // whichever reader needs one first, possibly from a block being recycled.
                  // Half the windows end at the newest points: blocks the writer is about to
                  // store and recycle, summarized (if at all) while that happens.
                  long start = random.nextBoolean() ? from : Math.max(0, known - 16 * 40);
                  long to = Math.min(known - 1, start + random.nextLong(16 * 64));
                  Aggregate window = own.aggregate(start, to);
                  long points = to - start + 1;
                  if (!window.equals(
                      new Aggregate(points, start, to, (double) (start + to) * points / 2))) {
                    throw new AssertionError(start + ".." + to + ": " + window);
                  }
                  for (int i = 0; i < 200; i++) {
                    long t = random.nextLong(known);
                    OptionalDouble value = own.valueAt(t);
                    if (value.isEmpty() || value.getAsDouble() != t) {
                      throw new AssertionError("valueAt(" + t + ") = " + value);
                    }
                  }
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    reader.start();
    long ownNext = 0;
    long otherNext = 0;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    try {
      while (System.nanoTime() < deadline && failure.get() == null) {
        ownNext = fill(own, store, ownNext, 16 * 32, true);
        written.set(ownNext);
        checkpoint(own, store);
        SeriesData other = new SeriesData(supply);
        otherNext = fill(other, null, otherNext, 16 * 32, false);
      }
    } finally {
      stop.set(true);
      reader.join();
    }
    assertThat(failure.get()).isNull();
  }
}
