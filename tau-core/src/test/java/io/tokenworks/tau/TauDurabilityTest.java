package io.tokenworks.tau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives a restart and a crash. A crash is taken as a copy of the data directory while the
 * engine runs: the copy holds exactly what reached the disk, as after {@code kill -9}.
 */
class TauDurabilityTest {

  private static final Label TEMP = Label.of("temp");
  private static final String FIRST_SEGMENT = "wal-0000000000000000.log";

  @TempDir Path directory;
  @TempDir Path crashed;
  private TauEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private TauEngine open(Path dataDirectory) {
    return TauEngine.open(TauConfig.builder(dataDirectory).chunkPoints(16).build());
  }

  /** Under the batch policy, forcing every {@code interval}: an hour means never in a test. */
  private static TauEngine openBatch(Path dataDirectory, Duration interval) {
    return TauEngine.open(
        TauConfig.builder(dataDirectory)
            .chunkPoints(16)
            .fsyncPolicy(FsyncPolicy.BATCH)
            .batchFsyncInterval(interval)
            .build());
  }

  @Test
  void pointsSurviveACleanRestart() {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 100; t++) {
      engine.append(TEMP, t, t * 1.5).join();
    }
    engine.close();
    engine = open(directory);
    assertAllPoints(engine, 100);
  }

  @Test
  void acknowledgedPointsSurviveACrash() throws IOException {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 100; t++) {
      engine.append(TEMP, t, t * 1.5).join();
    }
    copyTree(directory, crashed);
    try (TauEngine recovered = open(crashed)) {
      assertAllPoints(recovered, 100);
      recovered.append(TEMP, 100, 150).join();
    }
  }

  @Test
  void aTornWalTailIsCutAndNothingAcknowledgedIsLost() throws IOException {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 40; t++) {
      engine.append(TEMP, t, t * 1.5).join();
    }
    copyTree(directory, crashed);
    Path lastSegment = lastWalSegment(crashed);
    // A record that was being written when the power went: a length and half a body.
    Files.write(lastSegment, new byte[] {28, 0, 0, 0, 1, 2, 3, 4, 5, 6}, StandardOpenOption.APPEND);
    long tornSize = Files.size(lastSegment);
    try (TauEngine recovered = open(crashed)) {
      assertThat(Files.size(lastSegment)).isLessThan(tornSize);
      assertAllPoints(recovered, 40);
      assertThat(recovered.latest(TEMP)).contains(new Point(39, 39 * 1.5));
    }
  }

  @Test
  void aCorruptRecordInTheMiddleOfTheLastSegmentEndsReplayThere() throws IOException {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 10; t++) {
      engine.append(TEMP, t, t).join();
    }
    copyTree(directory, crashed);
    Path lastSegment = lastWalSegment(crashed);
    byte[] bytes = Files.readAllBytes(lastSegment);
    bytes[recordsEnd(bytes) - 1] ^= 0x40; // flip a bit of the last point's value
    Files.write(lastSegment, bytes);
    try (TauEngine recovered = open(crashed)) {
      assertThat(recovered.latest(TEMP)).contains(new Point(8, 8));
      assertThat(recovered.valueAt(TEMP, 9)).isEmpty();
    }
  }

  @Test
  void aCorruptManifestIsRefusedClearlyAndReleasesTheDirectory() throws IOException {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    engine.close();
    engine = null;
    Path manifest = directory.resolve("manifest.tau");
    byte[] bytes = Files.readAllBytes(manifest);
    bytes[bytes.length - 1] ^= 1;
    Files.write(manifest, bytes);
    assertThatThrownBy(() -> open(directory))
        .isInstanceOf(TauException.class)
        .hasMessageContaining("manifest")
        .hasMessageContaining("checksum mismatch")
        .satisfies(e -> assertThat(((TauException) e).error()).isEqualTo(TauError.STORAGE_FAILURE));
    bytes[bytes.length - 1] ^= 1;
    Files.write(manifest, bytes);
    engine = open(directory); // the failed open released the lock
    assertThat(engine.listSeries()).containsExactly(TEMP);
  }

  @Test
  void aChunkPackTornByACrashMidCheckpointIsRebuiltFromTheWal() throws Exception {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 20; t++) {
      engine.append(TEMP, t, t * 1.5).join(); // seals chunk 0 at 16 points
    }
    engine.checkpointNow(); // pack chunk-00000000.tch, chunks.durable = 1
    for (int t = 20; t < 100; t++) {
      engine.append(TEMP, t, t * 1.5).join(); // seals chunks 1..5, in memory and in the WAL only
    }
    copyTree(directory, crashed); // the WAL still holds points 20..99; no pack holds them yet
    engine.checkpointNow(); // writes pack chunk-00000001.tch (chunks 1..5)
    byte[] pack = Files.readAllBytes(onlySeriesDirectory(directory).resolve("chunk-00000001.tch"));
    // The crash came while that pack was being written: half of it reached the disk.
    Files.write(
        onlySeriesDirectory(crashed).resolve("chunk-00000001.tch"),
        java.util.Arrays.copyOf(pack, pack.length / 2));
    try (TauEngine recovered = open(crashed)) {
      assertAllPoints(recovered, 100);
    }
  }

  @Test
  void aDamagedChunkFailsTheReadsThatReachItAndADamagedPackIndexRefusesToOpen() throws Exception {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 40; t++) {
      engine.append(TEMP, t, t).join();
    }
    engine.close();
    engine = null;
    // Chunks of 16 points: the pack holds 0..15 and 16..31 then its index, the head file 32..39.
    Path forced = onlySeriesDirectory(directory).resolve("chunk-00000000.tch");
    byte[] good = Files.readAllBytes(forced);
    int indexStart = good.length - 2 * 72 - 32; // two 72-byte index entries, a 32-byte trailer
    byte[] bytes = good.clone();
    bytes[indexStart - 1] ^= 1; // the last byte of the second chunk's payload
    Files.write(forced, bytes);
    try (TauEngine damaged = open(directory)) {
      assertThat(damaged.valueAt(TEMP, 5)).hasValue(5);
      assertThat(damaged.valueAt(TEMP, 35)).hasValue(35);
      assertThatThrownBy(() -> damaged.valueAt(TEMP, 20))
          .isInstanceOfSatisfying(
              TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.STORAGE_FAILURE))
          .hasMessageContaining("chunk-00000000.tch")
          .hasMessageContaining("CRC32C");
      // A window that ends inside the damaged chunk reads its points; one that covers it whole
      // adds the summary its index entry keeps (checked by the index's own checksum).
      assertThatThrownBy(() -> damaged.aggregate(TEMP, 0, 20))
          .isInstanceOfSatisfying(
              TauException.class, e -> assertThat(e.error()).isEqualTo(TauError.STORAGE_FAILURE));
      assertThat(damaged.aggregate(TEMP, 0, 39)).isEqualTo(new Aggregate(40, 0, 39, 780));
    }

    bytes = good.clone();
    bytes[indexStart + 16] ^= 1; // the index entry of the first chunk (its first timestamp)
    Files.write(forced, bytes);
    assertThatThrownBy(() -> open(directory))
        .isInstanceOf(TauException.class)
        .hasMessageContaining("chunk-00000000.tch")
        .hasMessageContaining("pack index CRC32C");
  }

  private static Path onlySeriesDirectory(Path dataDirectory) throws IOException {
    try (Stream<Path> directories = Files.list(dataDirectory.resolve("series"))) {
      return directories.findFirst().orElseThrow();
    }
  }

  @Test
  void aDroppedSeriesStaysDroppedAfterACrash() throws IOException {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 1, 1).join();
    engine.dropSeries(TEMP).join();
    engine.createSeries(Label.of("other")).join();
    copyTree(directory, crashed);
    try (TauEngine recovered = open(crashed)) {
      assertThat(recovered.listSeries()).containsExactly(Label.of("other"));
    }
  }

  @Test
  void checkpointsDeleteOldWalSegmentsWithoutLosingPoints() throws Exception {
    engine =
        TauEngine.open(
            TauConfig.builder(directory).chunkPoints(64).checkpointWalBytes(1 << 20).build());
    engine.createSeries(TEMP).join();
    int n = 200_000; // about 5.6 MB of single-point records: several checkpoints
    for (int t = 0; t < n; t += 1000) {
      long[] ts = new long[1000];
      double[] values = new double[1000];
      for (int i = 0; i < 1000; i++) {
        ts[i] = t + i;
        values[i] = t + i;
      }
      engine.appendBatch(TEMP, ts, values, 0, 1000).join();
    }
    // Checkpoints run in the background: wait until the first segment (number 0) is gone.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (walSegments(directory).get(0).getFileName().toString().equals(FIRST_SEGMENT)
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(walSegments(directory))
        .extracting(p -> p.getFileName().toString())
        .doesNotContain(FIRST_SEGMENT);
    assertThat(engine.stats().walBytes()).isGreaterThan(3L << 20);
    // Quiesce: the copy must see one moment, as a crash does, not a checkpoint halfway through.
    engine.checkpointNow();
    assertThat(engine.stats().checkpoints()).isGreaterThanOrEqualTo(2);
    try (Stream<Path> files = Files.list(directory.resolve("wal"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(name -> name.endsWith(".log"));
    }
    copyTree(directory, crashed);
    // A crash while a segment was being retired leaves it renamed and partly cut: recovery must
    // delete it rather than take it for a damaged segment of the log.
    byte[] half = new byte[1 << 16];
    Files.write(crashed.resolve("wal").resolve(FIRST_SEGMENT + ".retired"), half);
    try (TauEngine recovered = open(crashed)) {
      assertThat(recovered.latest(TEMP)).contains(new Point(n - 1, n - 1));
      assertThat(recovered.aggregate(TEMP, 0, n).count()).isEqualTo(n);
    }
    assertThat(crashed.resolve("wal").resolve(FIRST_SEGMENT + ".retired")).doesNotExist();
  }

  @Test
  void labelsNeverBecomeFileNames() throws IOException {
    // Nested three deep in a temporary directory of its own, so "../../escape" resolved against the
    // data directory would still land inside the tree this test searches (never in a shared /tmp).
    Path data = crashed.resolve("one").resolve("two").resolve("data");
    engine = open(data);
    Label hostile = Label.of("../../escape");
    engine.createSeries(hostile).join();
    engine.createSeries(Label.of("a/b")).join();
    engine.append(hostile, 1, 1).join();
    engine.close();
    try (Stream<Path> files = Files.walk(crashed)) {
      assertThat(files.map(Path::toString)).noneMatch(name -> name.contains("escape"));
    }
    engine = open(data);
    assertThat(engine.valueAt(hostile, 1)).hasValue(1);
  }

  @Test
  void theBatchPolicyAcknowledgesBeforeTheForceAndForcesWithinItsInterval() throws Exception {
    engine = openBatch(directory, Duration.ofHours(1));
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 50; t++) {
      engine.append(TEMP, t, t * 1.5).join();
    }
    // Acknowledged and readable although the forcer sleeps for an hour: nothing was forced.
    assertAllPoints(engine, 50);
    assertThat(engine.stats().walForces()).isZero();
    engine.close();
    engine = null;

    try (TauEngine batch = openBatch(directory, Duration.ofMillis(5))) {
      assertAllPoints(batch, 50);
      batch.append(TEMP, 50, 75).join();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (batch.stats().walForces() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(batch.stats().walForces()).as("forces within the interval").isPositive();
      assertThat(batch.stats().walRecordsForced()).isPositive();
    }
  }

  @Test
  void theBatchPolicyLosesNothingOnACleanClose() throws IOException {
    engine = openBatch(directory, Duration.ofHours(1));
    engine.createSeries(TEMP).join();
    for (int t = 0; t < 30; t++) {
      engine.append(TEMP, t, t * 1.5).join();
    }
    engine.close();
    engine = open(directory);
    assertAllPoints(engine, 30);
  }

  @Test
  void heldWalWritesAreWrittenAndCompletedOnTheHoldingThread() throws Exception {
    engine = openBatch(directory, Duration.ofHours(1));
    engine.createSeries(TEMP).join();
    List<CompletableFuture<Void>> appends = new ArrayList<>();
    List<String> completedOn = new CopyOnWriteArrayList<>();
    engine.holdWalWrites();
    try {
      for (int t = 0; t < 40; t++) {
        CompletableFuture<Void> append = engine.append(TEMP, t, t * 1.5);
        append.whenComplete((ok, failure) -> completedOn.add(Thread.currentThread().getName()));
        appends.add(append);
      }
    } finally {
      engine.writeHeldWal();
    }
    // Written and completed by writeHeldWal itself: nothing left for the writer thread.
    assertThat(appends).allMatch(CompletableFuture::isDone);
    assertThat(completedOn).hasSize(40).containsOnly(Thread.currentThread().getName());
    assertAllPoints(engine, 40);
    // In the log, as a crash would find it.
    copyTree(directory, crashed);
    try (TauEngine recovered = open(crashed)) {
      assertAllPoints(recovered, 40);
    }
  }

  @Test
  void singlePointsOfOneSeriesQueuedTogetherShareAWalRecordAndReplayExactly() throws Exception {
    engine = openBatch(directory, Duration.ofHours(1));
    Label other = Label.of("other");
    engine.createSeries(TEMP).join();
    engine.createSeries(other).join();
    long before = recordsEnd(Files.readAllBytes(lastWalSegment(directory)));
    engine.holdWalWrites();
    try {
      for (int t = 0; t < 20; t++) {
        engine.append(TEMP, t, t * 1.5);
      }
      for (int t = 0; t < 10; t++) {
        engine.append(other, t, -t);
      }
      for (int t = 20; t < 40; t++) {
        engine.append(TEMP, t, t * 1.5);
      }
    } finally {
      engine.writeHeldWal();
    }
    // Three records (20, 10 and 20 points), each 8 header and 12 body bytes plus 16 per point,
    // instead of fifty one-point records.
    assertThat(recordsEnd(Files.readAllBytes(lastWalSegment(directory))) - before)
        .isEqualTo(3 * 20 + 50 * 16);
    copyTree(directory, crashed);
    try (TauEngine recovered = open(crashed)) {
      assertAllPoints(recovered, 40);
      for (int t = 0; t < 10; t++) {
        assertThat(recovered.valueAt(other, t)).hasValue(-t);
      }
      assertThat(recovered.aggregate(other, 0, 100).count()).isEqualTo(10);
    }
  }

  @Test
  void heldWalWritesUnderAlwaysStillWaitForTheForceOnTheWriterThread() {
    engine = open(directory);
    engine.createSeries(TEMP).join();
    CompletableFuture<Void> append;
    engine.holdWalWrites();
    try {
      append = engine.append(TEMP, 1, 1.5);
    } finally {
      engine.writeHeldWal();
    }
    append.join();
    assertThat(engine.stats().walForces()).isPositive();
    assertThat(engine.valueAt(TEMP, 1)).hasValue(1.5);
  }

  private static void assertAllPoints(TauEngine engine, int n) {
    for (int t = 0; t < n; t++) {
      assertThat(engine.valueAt(TEMP, t)).as("t=%d", t).hasValue(t * 1.5);
    }
    assertThat(engine.latest(TEMP)).contains(new Point(n - 1, (n - 1) * 1.5));
  }

  /**
   * Where a WAL segment's records end: the open segment is mapped a window at a time, so its file
   * runs on in zeros past them.
   */
  private static int recordsEnd(byte[] segment) {
    ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
    int position = 16; // the segment header
    while (position + 8 <= segment.length) {
      int bodyLength = bytes.getInt(position);
      if (bodyLength == 0) {
        break;
      }
      position += 8 + bodyLength;
    }
    return position;
  }

  private static List<Path> walSegments(Path dataDirectory) throws IOException {
    try (Stream<Path> files = Files.list(dataDirectory.resolve("wal"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
    }
  }

  private static Path lastWalSegment(Path dataDirectory) throws IOException {
    List<Path> segments = walSegments(dataDirectory);
    return segments.get(segments.size() - 1);
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!source.getFileName().toString().equals("tau.lock")) {
          try {
            Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } catch (java.nio.file.NoSuchFileException e) {
            // A temporary file renamed away while we copied: the crash would have left either name.
          }
        }
      }
    }
  }
}
