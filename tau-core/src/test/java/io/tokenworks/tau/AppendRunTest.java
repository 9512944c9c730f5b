package io.tokenworks.tau;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AppendRunTest {

  private static final Label TEMP = Label.of("temp");

  @TempDir Path directory;
  private TauEngine engine;

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  /** A run over arrays that records what the engine told it. */
  static final class Run implements AppendRun {
    final long[] timestamps;
    final double[] values;
    final List<Integer> refused = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    final List<Throwable> settlements = new CopyOnWriteArrayList<>();

    Run(long... timestamps) {
      this.timestamps = timestamps;
      this.values = new double[timestamps.length];
      for (int i = 0; i < timestamps.length; i++) {
        values[i] = timestamps[i] * 0.5;
      }
    }

    @Override
    public int size() {
      return timestamps.length;
    }

    @Override
    public long timestamp(int index) {
      return timestamps[index];
    }

    @Override
    public double value(int index) {
      return values[index];
    }

    @Override
    public void outOfOrder(int index) {
      assertThat(outcome).as("refusals come before the settlement").isNotDone();
      refused.add(index);
    }

    @Override
    public void appended(Throwable failure) {
      settlements.add(failure == null ? new Throwable("none") : failure);
      outcome.complete(failure);
    }

    Throwable await() throws Exception {
      return outcome.get(10, TimeUnit.SECONDS);
    }
  }

  private List<Long> timestamps(Label series) {
    List<Long> found = new ArrayList<>();
    engine.range(series, Long.MIN_VALUE, Long.MAX_VALUE, 1_000, (t, v) -> found.add(t));
    return found;
  }

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void eachPointIsAcceptedOrRefusedAsIfAppendedAloneAndTheRestSurviveARestart(FsyncPolicy policy)
      throws Exception {
    engine =
        TauEngine.open(TauConfig.builder(directory).fsyncPolicy(policy).chunkPoints(16).build());
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 10, 1.0).join();
    // Refused: 5 and 10 (not after 10), the second 11, 9 (after 12), the second 21. The 40 points
    // from 20 on fill and seal two chunks of 16.
    long[] points = new long[46];
    long[] head = {5, 10, 11, 11, 12, 9};
    System.arraycopy(head, 0, points, 0, head.length);
    for (int i = 0; i < 40; i++) {
      points[6 + i] = 20 + i;
    }
    points[8] = 21;
    Run run = new Run(points);
    engine.append(TEMP, run);

    assertThat(run.await()).isNull();
    assertThat(run.refused).containsExactly(0, 1, 3, 5, 8);
    assertThat(run.settlements).hasSize(1);
    List<Long> expected = new ArrayList<>(List.of(10L, 11L, 12L));
    for (long t = 20; t < 60; t++) {
      if (t != 22) {
        expected.add(t);
      }
    }
    assertThat(timestamps(TEMP)).isEqualTo(expected);
    assertThat(engine.valueAt(TEMP, 21)).hasValue(10.5);
    assertThat(engine.stats().pointsAppended()).isEqualTo(expected.size());
    engine.close();
    engine = TauEngine.open(TauConfig.builder(directory).chunkPoints(16).build());
    assertThat(timestamps(TEMP)).isEqualTo(expected);
    assertThat(engine.valueAt(TEMP, 12)).hasValue(6.0);
  }

  @Test
  void aRunWhosePointsAreAllRefusedSettlesAtOnceAndLogsNothing() throws Exception {
    engine = TauEngine.open(TauConfig.builder(directory).build());
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 100, 1.0).join();
    long logged = engine.stats().walBytes();

    Run run = new Run(100, 99, 1);
    engine.append(TEMP, run);

    assertThat(run.await()).isNull();
    assertThat(run.refused).containsExactly(0, 1, 2);
    assertThat(timestamps(TEMP)).containsExactly(100L);
    assertThat(engine.stats().walBytes()).isEqualTo(logged);
  }

  @Test
  void aLonePointAndAnEmptyRunAreAppendedLikeSingleAppends() throws Exception {
    engine = TauEngine.open(TauConfig.builder(directory).build());
    engine.createSeries(TEMP).join();

    Run empty = new Run();
    engine.append(TEMP, empty);
    Run lone = new Run(7);
    engine.append(TEMP, lone);

    assertThat(empty.await()).isNull();
    assertThat(lone.await()).isNull();
    assertThat(timestamps(TEMP)).containsExactly(7L);
  }

  @Test
  void aRunForAMissingSeriesFailsAsAWholeOnce() throws Exception {
    engine = TauEngine.open(TauConfig.inMemory().build());

    Run run = new Run(1, 2, 3);
    engine.append(Label.of("missing"), run);

    assertThat(run.await())
        .isInstanceOfSatisfying(
            TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.SERIES_NOT_FOUND));
    assertThat(run.settlements).hasSize(1);
    assertThat(run.refused).isEmpty();
  }

  @Test
  void aRunAfterADropFailsWithSeriesNotFound() throws Exception {
    engine = TauEngine.open(TauConfig.inMemory().build());
    engine.createSeries(TEMP).join();
    engine.dropSeries(TEMP).join();

    Run run = new Run(1, 2);
    engine.append(TEMP, run);

    assertThat(run.await())
        .isInstanceOfSatisfying(
            TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.SERIES_NOT_FOUND));
  }
}
