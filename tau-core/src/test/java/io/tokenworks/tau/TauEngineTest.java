package io.tokenworks.tau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TauEngineTest {

  private static final Label TEMP = Label.of("temp");

  @TempDir Path directory;
  private TauEngine engine;

  private TauEngine open(TauConfig.Builder builder) {
    engine = TauEngine.open(builder.build());
    return engine;
  }

  private TauEngine openDurable() {
    return open(TauConfig.builder(directory).chunkPoints(16));
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  static TauError errorOf(CompletableFuture<?> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof TauException tau) {
        return tau.error();
      }
      throw e;
    }
    return null;
  }

  static TauError errorOf(Runnable call) {
    try {
      call.run();
    } catch (TauException e) {
      return e.error();
    }
    return null;
  }

  @Test
  void backgroundThreadsAskForTheLowestPriorityAndTheWalWriterDoesNot() throws Exception {
    open(TauConfig.builder(directory).fsyncPolicy(FsyncPolicy.BATCH));
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 1, 1.0).join();
    engine.checkpointNow();

    java.util.Map<String, Integer> priorities = new java.util.HashMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName().replaceAll("-\\d+$", "");
      if (name.startsWith("tau-")) {
        priorities.merge(name, thread.getPriority(), Math::max);
      }
    }
    assertThat(priorities)
        .containsEntry("tau-catalog", Thread.MIN_PRIORITY)
        .containsEntry("tau-wal-forcer", Thread.MIN_PRIORITY)
        .containsEntry("tau-blocks", Thread.MIN_PRIORITY)
        .containsEntry("tau-wal-writer", Thread.NORM_PRIORITY);
  }

  @Test
  void createAppendAndQueryAPoint() {
    openDurable();
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 1, 22.5).join();
    assertThat(engine.valueAt(TEMP, 1)).hasValue(22.5);
    assertThat(engine.valueAt(TEMP, 2)).isEmpty();
    assertThat(engine.listSeries()).containsExactly(TEMP);
  }

  @Test
  void anAppendWithACallbackTellsItTheOutcomeExactlyOnce() {
    openDurable();
    engine.createSeries(TEMP).join();
    List<Throwable> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Throwable> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Throwable> missing = new java.util.concurrent.CopyOnWriteArrayList<>();

    engine.append(TEMP, 5, 1.5, outcomes::add);
    engine.append(TEMP, 5, 2.0, refused::add);
    engine.append(Label.of("missing"), 1, 1.0, missing::add);
    engine.close(); // waits for the WAL: every callback has been called by now
    engine = null;

    assertThat(outcomes).hasSize(1).containsOnlyNulls();
    assertThat(refused)
        .singleElement()
        .isInstanceOfSatisfying(
            TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.OUT_OF_ORDER));
    assertThat(missing)
        .singleElement()
        .isInstanceOfSatisfying(
            TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.SERIES_NOT_FOUND));
  }

  @Test
  void aCallbackThatThrowsDoesNotKeepTheAppendsAfterItFromBeingTold() {
    engine =
        TauEngine.open(
            TauConfig.builder(directory)
                .fsyncPolicy(FsyncPolicy.BATCH)
                .batchFsyncInterval(java.time.Duration.ofHours(1))
                .build());
    engine.createSeries(TEMP).join();
    List<Throwable> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    engine.holdWalWrites();
    try {
      engine.append(
          TEMP,
          1,
          1.0,
          failure -> {
            throw new IllegalStateException("a careless callback");
          });
      engine.append(TEMP, 2, 2.0, told::add);
    } finally {
      engine.writeHeldWal(); // both complete here, in one loop over the batch
    }
    assertThat(told).hasSize(1).containsOnlyNulls();
    assertThat(engine.valueAt(TEMP, 1)).hasValue(1.0);
  }

  @Test
  void duplicateCreateIsRefused() {
    openDurable();
    engine.createSeries(TEMP).join();
    assertThat(errorOf(engine.createSeries(TEMP))).isEqualTo(TauError.SERIES_ALREADY_EXISTS);
  }

  @Test
  void unknownSeriesIsNotFoundForEveryOperation() {
    openDurable();
    assertThat(errorOf(engine.append(TEMP, 1, 1))).isEqualTo(TauError.SERIES_NOT_FOUND);
    assertThat(errorOf(engine.dropSeries(TEMP))).isEqualTo(TauError.SERIES_NOT_FOUND);
    assertThat(errorOf(() -> engine.valueAt(TEMP, 1))).isEqualTo(TauError.SERIES_NOT_FOUND);
    assertThat(errorOf(() -> engine.latest(TEMP))).isEqualTo(TauError.SERIES_NOT_FOUND);
  }

  @Test
  void droppedSeriesIsGoneAndCanBeCreatedAgainEmpty() {
    openDurable();
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 1, 1).join();
    engine.dropSeries(TEMP).join();
    assertThat(errorOf(() -> engine.valueAt(TEMP, 1))).isEqualTo(TauError.SERIES_NOT_FOUND);
    engine.createSeries(TEMP).join();
    assertThat(engine.valueAt(TEMP, 1)).isEmpty();
    engine.append(TEMP, 1, 2).join();
    assertThat(engine.valueAt(TEMP, 1)).hasValue(2);
  }

  @Test
  void equalAndEarlierTimestampsAreOutOfOrder() {
    openDurable();
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 10, 1).join();
    assertThat(errorOf(engine.append(TEMP, 10, 2))).isEqualTo(TauError.OUT_OF_ORDER);
    assertThat(errorOf(engine.append(TEMP, 9, 2))).isEqualTo(TauError.OUT_OF_ORDER);
    assertThat(engine.valueAt(TEMP, 10)).hasValue(1);
  }

  @Test
  void orderHoldsAcrossAChunkBoundary() {
    // Upstream skipped the check on a fresh segment, so a duplicate slipped in at every boundary.
    openDurable();
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 16; t++) {
      engine.append(TEMP, t, t).join();
    }
    assertThat(errorOf(engine.append(TEMP, 15, -1))).isEqualTo(TauError.OUT_OF_ORDER);
    assertThat(errorOf(engine.append(TEMP, 3, -1))).isEqualTo(TauError.OUT_OF_ORDER);
    engine.append(TEMP, 16, 16).join();
    assertThat(engine.stats().chunksSealed()).isEqualTo(1);
  }

  @Test
  void seriesAreUnboundedAndEveryPointIsFound() {
    open(TauConfig.inMemory().chunkPoints(64));
    engine.createSeries(TEMP).join();
    int n = 100_000;
    long[] ts = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_000L * i - 50_000_000L;
      values[i] = i * 0.5;
    }
    engine.appendBatch(TEMP, ts, values, 0, n).join();
    for (int i = 0; i < n; i += 997) {
      assertThat(engine.valueAt(TEMP, ts[i])).hasValue(values[i]);
      assertThat(engine.valueAt(TEMP, ts[i] + 1)).isEmpty();
    }
    assertThat(engine.latest(TEMP)).contains(new Point(ts[n - 1], values[n - 1]));
  }

  @Test
  void negativeTimestampsAndSpecialValuesAreBitExact() {
    openDurable();
    engine.createSeries(TEMP).join();
    double nanWithPayload = Double.longBitsToDouble(0x7ff8_dead_beef_0001L);
    double[] values = {
      -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, nanWithPayload, Double.MIN_VALUE
    };
    long[] ts = {-100, -1, 0, 1, Long.MAX_VALUE};
    engine.appendBatch(TEMP, ts, values, 0, ts.length).join();
    engine.close();
    openDurable();
    for (int i = 0; i < ts.length; i++) {
      OptionalDouble value = engine.valueAt(TEMP, ts[i]);
      assertThat(value).isPresent();
      assertThat(Double.doubleToRawLongBits(value.getAsDouble()))
          .isEqualTo(Double.doubleToRawLongBits(values[i]));
    }
  }

  @Test
  void batchIsAllOrNothing() {
    openDurable();
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 5, 5).join();
    assertThat(errorOf(engine.appendBatch(TEMP, new long[] {6, 7, 7}, new double[3], 0, 3)))
        .isEqualTo(TauError.OUT_OF_ORDER);
    assertThat(errorOf(engine.appendBatch(TEMP, new long[] {4, 8}, new double[2], 0, 2)))
        .isEqualTo(TauError.OUT_OF_ORDER);
    assertThat(errorOf(engine.appendBatch(TEMP, new long[0], new double[0], 0, 0)))
        .isEqualTo(TauError.INVALID_ARGUMENT);
    assertThat(engine.latest(TEMP)).contains(new Point(5, 5));
  }

  @Test
  void rangePagesAndAsOfAndAggregate() {
    openDurable();
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 100; t += 2) {
      engine.append(TEMP, t, t).join();
    }
    List<Point> page = new ArrayList<>();
    assertThat(engine.range(TEMP, 9, 40, 5, (t, v) -> page.add(new Point(t, v)))).isEqualTo(5);
    assertThat(page).extracting(Point::timestamp).containsExactly(10L, 12L, 14L, 16L, 18L);
    List<Point> rest = new ArrayList<>();
    engine.range(TEMP, 19, 40, 1000, (t, v) -> rest.add(new Point(t, v)));
    assertThat(rest).extracting(Point::timestamp).startsWith(20L).endsWith(40L).hasSize(11);
    assertThat(engine.range(TEMP, 41, 40, 10, (t, v) -> {})).isZero();

    assertThat(engine.asOf(TEMP, 11)).contains(new Point(10, 10));
    assertThat(engine.asOf(TEMP, 10)).contains(new Point(10, 10));
    assertThat(engine.asOf(TEMP, -1)).isEmpty();
    assertThat(engine.asOf(TEMP, 1_000)).contains(new Point(98, 98));
    assertThat(engine.latest(TEMP)).contains(new Point(98, 98));

    Aggregate aggregate = engine.aggregate(TEMP, 10, 20);
    assertThat(aggregate.count()).isEqualTo(6);
    assertThat(aggregate.min()).isEqualTo(10);
    assertThat(aggregate.max()).isEqualTo(20);
    assertThat(aggregate.sum()).isEqualTo(90);
    assertThat(aggregate.mean()).isEqualTo(15);
    assertThat(engine.aggregate(TEMP, 200, 300)).isEqualTo(Aggregate.EMPTY);
  }

  @Test
  void emptySeriesHasNoLatestPoint() {
    openDurable();
    engine.createSeries(TEMP).join();
    assertThat(engine.latest(TEMP)).isEmpty();
    assertThat(engine.asOf(TEMP, 0)).isEmpty();
  }

  @Test
  void secondEngineOnTheSameDirectoryIsRefused() {
    openDurable();
    assertThatThrownBy(() -> TauEngine.open(TauConfig.builder(directory).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by another Tau engine");
  }

  @Test
  void configRejectsOutOfRangeSettingsByName() {
    assertThatThrownBy(() -> TauConfig.builder(directory).workerThreads(0).build())
        .hasMessage("workerThreads=0 must be 1..1024");
    assertThatThrownBy(() -> TauConfig.builder(directory).chunkPoints(1).build())
        .hasMessageContaining("chunkPoints=1");
    assertThatThrownBy(() -> TauConfig.inMemory().fsyncPolicy(FsyncPolicy.ALWAYS).build())
        .hasMessageContaining("needs a data directory");
  }

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void anAcknowledgedAppendIsVisibleToTheNextRead(FsyncPolicy policy) {
    // The WAL writer can finish before the actor applies the point: the ack must wait for both.
    open(TauConfig.builder(directory).fsyncPolicy(policy).chunkPoints(64));
    engine.createSeries(TEMP).join();
    int n = policy == FsyncPolicy.ALWAYS ? 500 : 20_000;
    for (int t = 0; t < n; t++) {
      engine.append(TEMP, t, t).join();
      assertThat(engine.valueAt(TEMP, t)).as("t=%d", t).hasValue(t);
    }
  }

  @Test
  void withCallerRunsTheAppendingThreadDoesTheWorkOfAnIdleSeries() {
    open(TauConfig.inMemory());
    engine.createSeries(TEMP).join();
    // In memory there is no WAL to wait for: the caller ran the actor, so the future is complete
    // before append returns.
    CompletableFuture<Void> done = engine.append(TEMP, 1, 2.5);
    assertThat(done).isCompleted();
    assertThat(engine.valueAt(TEMP, 1)).hasValue(2.5);
  }

  @Test
  void withoutCallerRunsEveryTurnRunsOnTheWorkersAndAppendsFromManyThreadsAllLand()
      throws Exception {
    open(TauConfig.inMemory().callerRuns(false).workerThreads(2));
    int threads = 4;
    int perThread = 2_000;
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      Label label = Label.of("s" + w);
      engine.createSeries(label).join();
      Thread writer =
          new Thread(
              () -> {
                for (int t = 0; t < perThread; t++) {
                  engine.append(label, t, t).join();
                }
              });
      writers.add(writer);
      writer.start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
    for (int w = 0; w < threads; w++) {
      assertThat(engine.latest(Label.of("s" + w)))
          .contains(new Point(perThread - 1, perThread - 1));
      assertThat(engine.aggregate(Label.of("s" + w), 0, perThread).count()).isEqualTo(perThread);
    }
  }

  @Test
  void aFullMailboxAnswersBusyAndLosesNothingAcknowledged() {
    // Without caller-runs, so one thread can outpace the worker and fill the mailbox.
    open(TauConfig.inMemory().mailboxCapacity(1).workerThreads(1).callerRuns(false));
    engine.createSeries(TEMP).join();
    int n = 20_000;
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      futures.add(engine.append(TEMP, t, t));
    }
    List<Long> acknowledged = new ArrayList<>();
    int busy = 0;
    for (int t = 0; t < n; t++) {
      TauError error = errorOf(futures.get(t));
      if (error == null) {
        acknowledged.add((long) t);
      } else {
        assertThat(error).isEqualTo(TauError.BUSY);
        busy++;
      }
    }
    assertThat(busy).as("appends refused with BUSY").isPositive();
    assertThat(engine.stats().mailboxFullCount()).isEqualTo(busy);
    List<Long> stored = new ArrayList<>();
    engine.range(TEMP, 0, n, n, (t, v) -> stored.add(t));
    assertThat(stored).isEqualTo(acknowledged);
  }

  @Test
  void writesAfterCloseFailClosed() {
    openDurable();
    engine.createSeries(TEMP).join();
    engine.close();
    assertThat(errorOf(engine.append(TEMP, 1, 1))).isEqualTo(TauError.CLOSED);
    assertThat(errorOf(engine.createSeries(Label.of("x")))).isEqualTo(TauError.CLOSED);
    engine = null;
  }
}
