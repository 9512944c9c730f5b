package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkFileTest {

  private static final long SERIES_ID = 0xFEDC_BA98_7654_3210L;

  @TempDir Path directory;

  private static long[] timestamps(int count) {
    long[] timestamps = new long[count];
    for (int i = 0; i < count; i++) {
      timestamps[i] = 1_700_000_000_000L + i * 1_000L + (i % 7);
    }
    return timestamps;
  }

  private static double[] values(int count) {
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = Math.round(200 + 10 * Math.sin(i / 50.0)) / 10.0;
    }
    return values;
  }

  private Path writeSample(int count) throws IOException {
    Path file = directory.resolve("chunk-00000000.tch");
    ChunkFile.write(file, SERIES_ID, timestamps(count), values(count), count);
    return file;
  }

  private static void rewriteHeaderCrc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, ChunkFile.HEADER_CRC_OFFSET);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(ChunkFile.HEADER_CRC_OFFSET, (int) crc.getValue());
  }

  private List<String> directoryListing() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeThenReadReturnsTheSamePoints() throws IOException {
    Path file = writeSample(4096);

    ChunkFile.Chunk chunk = ChunkFile.read(file);

    assertThat(chunk.seriesId()).isEqualTo(SERIES_ID);
    assertThat(chunk.count()).isEqualTo(4096);
    assertThat(chunk.minTs()).isEqualTo(timestamps(4096)[0]);
    assertThat(chunk.maxTs()).isEqualTo(timestamps(4096)[4095]);
    assertThat(chunk.timestamps()).containsExactly(timestamps(4096));
    assertThat(GorillaCodecTest.rawBits(chunk.values()))
        .containsExactly(GorillaCodecTest.rawBits(values(4096)));
  }

  @Test
  void readingAgainAsAfterARestartReturnsTheSamePoints() throws IOException {
    Path file = writeSample(100);
    ChunkFile.Chunk first = ChunkFile.read(file);

    ChunkFile.Chunk second = ChunkFile.read(Path.of(file.toString()));

    assertThat(second.timestamps()).containsExactly(first.timestamps());
    assertThat(second.values()).containsExactly(first.values());
    assertThat(second.seriesId()).isEqualTo(first.seriesId());
  }

  @Test
  void writesOnlyTheFirstCountPointsOfLargerArrays() throws IOException {
    Path file = directory.resolve("head.tch");
    long[] timestamps = {-100, -1, 0, 0, 0};
    double[] values = {Double.NaN, -0.0, 9, 9, 9};

    ChunkFile.write(file, 1, timestamps, values, 2);

    ChunkFile.Chunk chunk = ChunkFile.read(file);
    assertThat(chunk.timestamps()).containsExactly(-100, -1);
    assertThat(GorillaCodecTest.rawBits(chunk.values()))
        .containsExactly(Double.doubleToRawLongBits(Double.NaN), Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void extremeTimestampsSurviveAWriteAndRead() throws IOException {
    Path file = directory.resolve("edge.tch");
    long[] timestamps = {Long.MIN_VALUE, -1, Long.MAX_VALUE};

    ChunkFile.write(file, -1L, timestamps, new double[] {1, 2, 3}, 3);

    ChunkFile.Chunk chunk = ChunkFile.read(file);
    assertThat(chunk.timestamps()).containsExactly(timestamps);
    assertThat(chunk.seriesId()).isEqualTo(-1L);
  }

  @Test
  void headerFieldsSitAtTheDocumentedLittleEndianOffsets() throws IOException {
    Path file = directory.resolve("layout.tch");
    ChunkFile.write(file, SERIES_ID, new long[] {0, 10, 20, 31}, new double[] {1, 1, 2, 2}, 4);

    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

    assertThat(new String(bytes, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("TAUCHUNK");
    assertThat(header.getShort(8)).isEqualTo((short) 1);
    assertThat(header.getShort(10)).isZero();
    assertThat(header.getInt(12)).isEqualTo(4);
    assertThat(header.getLong(16)).isZero();
    assertThat(header.getLong(24)).isEqualTo(31);
    assertThat(header.getLong(32)).isEqualTo(SERIES_ID);
    assertThat(header.getInt(40)).isEqualTo(22);
    assertThat(bytes).hasSize(52 + 22);
    CRC32C payloadCrc = new CRC32C();
    payloadCrc.update(bytes, 52, 22);
    assertThat(header.getInt(44)).isEqualTo((int) payloadCrc.getValue());
    CRC32C headerCrc = new CRC32C();
    headerCrc.update(bytes, 0, 48);
    assertThat(header.getInt(48)).isEqualTo((int) headerCrc.getValue());
    // The payload is the Gorilla block worked out by hand in GorillaCodecTest.
    assertThat(Arrays.copyOfRange(bytes, 52 + 16, bytes.length))
        .containsExactly(0x85, 0x18, 0x4B, 0xFF, 0xF0, 0x10);
  }

  @Test
  void flippedPayloadByteIsReportedAsPayloadCrcMismatchNamingTheFile() throws IOException {
    Path file = writeSample(100);
    byte[] bytes = Files.readAllBytes(file);
    bytes[ChunkFile.HEADER_LENGTH + 20] ^= 0x01;
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("payload CRC32C mismatch");
  }

  @Test
  void flippedHeaderByteIsReportedAsHeaderCrcMismatchNamingTheFile() throws IOException {
    Path file = writeSample(100);
    byte[] bytes = Files.readAllBytes(file);
    bytes[ChunkFile.COUNT_OFFSET] ^= 0x01;
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("header CRC32C mismatch");
  }

  @Test
  void everySingleByteCorruptionAnywhereInTheFileIsDetected() throws IOException {
    Path file = writeSample(50);
    byte[] original = Files.readAllBytes(file);

    for (int index = 0; index < original.length; index++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] corrupt = original.clone();
        corrupt[index] ^= (byte) (1 << bit);
        Files.write(file, corrupt);
        int at = index;
        assertThatThrownBy(() -> ChunkFile.read(file))
            .as("flip of bit %d in byte %d", bit, at)
            .isInstanceOf(ChunkFile.CorruptChunkException.class)
            .hasMessageContaining(file.toString());
      }
    }
  }

  @Test
  void truncatedFileIsCorrupt() throws IOException {
    Path file = writeSample(100);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void fileShorterThanTheHeaderIsCorrupt() throws IOException {
    Path file = writeSample(100);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, ChunkFile.HEADER_LENGTH - 1));

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("shorter than the 52-byte header");
  }

  @Test
  void emptyFileIsCorrupt() throws IOException {
    Path file = directory.resolve("empty.tch");
    Files.write(file, new byte[0]);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void trailingBytesAfterThePayloadAreCorrupt() throws IOException {
    Path file = writeSample(10);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length + 3));

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void wrongMagicIsCorrupt() throws IOException {
    Path file = writeSample(10);
    byte[] bytes = Files.readAllBytes(file);
    System.arraycopy("TAUFILE\0".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 8);
    rewriteHeaderCrc(bytes);
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("bad magic");
  }

  @Test
  void futureVersionIsRejectedBeforeItsHeaderIsInterpreted() throws IOException {
    Path file = writeSample(10);
    byte[] bytes = Files.readAllBytes(file);
    bytes[ChunkFile.VERSION_OFFSET] = 2;
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("unsupported format version 2 (this build reads 1)");
  }

  @Test
  void unknownFlagsAreRejected() throws IOException {
    Path file = writeSample(10);
    byte[] bytes = Files.readAllBytes(file);
    bytes[ChunkFile.FLAGS_OFFSET] = 0x04;
    rewriteHeaderCrc(bytes);
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("unknown flags 0x4");
  }

  @Test
  void headerMaxTimestampDisagreeingWithThePointsIsCorrupt() throws IOException {
    Path file = writeSample(10);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(ChunkFile.MAX_TIMESTAMP_OFFSET, Long.MAX_VALUE);
    rewriteHeaderCrc(bytes);
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("header says");
  }

  @Test
  void impossiblePayloadLengthIsCorruptWithoutAllocatingIt() throws IOException {
    Path file = writeSample(10);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(ChunkFile.PAYLOAD_LENGTH_OFFSET, -1);
    rewriteHeaderCrc(bytes);
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("payload length 4294967295 impossible for 10 points");
  }

  @Test
  void pointsOutOfOrderBehindValidChecksumsAreCorrupt() throws IOException {
    // A writer bug, not a disk error: both CRCs are right but the points go backwards.
    Path file = directory.resolve("backwards.tch");
    long[] timestamps = {30, 20, 10};
    byte[] payload = new byte[GorillaCodec.maxEncodedLength(3)];
    int payloadLength =
        GorillaCodec.encode(timestamps, new double[] {1, 2, 3}, 3, new UnsafeBuffer(payload), 0);
    byte[] bytes = ChunkFile.encode(7, new long[] {10, 20, 30}, new double[] {1, 2, 3}, 3);
    bytes = Arrays.copyOf(bytes, ChunkFile.HEADER_LENGTH + payloadLength);
    System.arraycopy(payload, 0, bytes, ChunkFile.HEADER_LENGTH, payloadLength);
    ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(ChunkFile.PAYLOAD_LENGTH_OFFSET, payloadLength);
    CRC32C crc = new CRC32C();
    crc.update(bytes, ChunkFile.HEADER_LENGTH, payloadLength);
    header.putInt(ChunkFile.PAYLOAD_CRC_OFFSET, (int) crc.getValue());
    rewriteHeaderCrc(bytes);
    Files.write(file, bytes);

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("not strictly increasing at point 1");
  }

  @Test
  void writeLeavesNoTemporaryFileBehind() throws IOException {
    writeSample(100);

    assertThat(directoryListing()).containsExactly("chunk-00000000.tch");
  }

  @Test
  void writeReplacesAnExistingFileAtomically() throws IOException {
    Path file = writeSample(100);

    ChunkFile.write(file, 99, new long[] {5, 6}, new double[] {0.5, 0.6}, 2);

    ChunkFile.Chunk chunk = ChunkFile.read(file);
    assertThat(chunk.seriesId()).isEqualTo(99);
    assertThat(chunk.timestamps()).containsExactly(5, 6);
    assertThat(chunk.values()).containsExactly(0.5, 0.6);
    assertThat(directoryListing()).containsExactly("chunk-00000000.tch");
  }

  @Test
  void writeOverwritesATemporaryFileLeftByACrashedWrite() throws IOException {
    Path stale = directory.resolve("chunk-00000000.tch.tmp");
    Files.write(stale, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

    Path file = writeSample(3);

    assertThat(ChunkFile.read(file).count()).isEqualTo(3);
    assertThat(directoryListing()).containsExactly("chunk-00000000.tch");
  }

  @Test
  void writeRejectsTimestampsThatAreNotStrictlyIncreasing() {
    Path file = directory.resolve("bad.tch");

    assertThatThrownBy(() -> ChunkFile.write(file, 1, new long[] {1, 2, 2}, new double[3], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ts[1]=2 ts[2]=2");
    assertThat(file).doesNotExist();
  }

  @Test
  void writeRejectsAnEmptyChunk() {
    Path file = directory.resolve("empty.tch");

    assertThatThrownBy(() -> ChunkFile.write(file, 1, new long[0], new double[0], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count=0");
    assertThat(file).doesNotExist();
  }

  @Test
  void readingAMissingFileIsAnIoErrorNotCorruption() {
    Path file = directory.resolve("missing.tch");

    assertThatThrownBy(() -> ChunkFile.read(file))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ChunkFile.CorruptChunkException.class);
  }

  @Test
  void aPackHoldsImagesBackToBackAndRejectsBytesThatAreNotAWholeImage() throws IOException {
    byte[] first = ChunkFile.encode(SERIES_ID, timestamps(100), values(100), 100);
    long[] later = timestamps(200);
    byte[] second =
        ChunkFile.encode(
            SERIES_ID,
            Arrays.copyOfRange(later, 100, 200),
            Arrays.copyOfRange(values(200), 100, 200),
            100);
    Path pack = directory.resolve("chunk-00000000.tch");
    try (DurableFiles.AtomicWriter writer = DurableFiles.AtomicWriter.open(pack)) {
      writer.write(first);
      writer.write(second);
      writer.commit();
    }

    List<ChunkFile.Chunk> chunks = ChunkFile.readPack(pack);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(1).timestamps()).containsExactly(Arrays.copyOfRange(later, 100, 200));
    assertThat(directoryListing()).containsExactly("chunk-00000000.tch");

    byte[] bytes = Files.readAllBytes(pack);
    Files.write(pack, Arrays.copyOf(bytes, bytes.length + 20)); // 20 stray bytes after the images
    assertThatThrownBy(() -> ChunkFile.readPack(pack))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("image at byte " + bytes.length);
  }

  @Test
  void anAtomicWriterLeavesTheOldFileWhenClosedUncommittedAndReplacesItWhenCommitted()
      throws IOException {
    Path file = directory.resolve("data.bin");
    Files.write(file, new byte[] {1, 2, 3});
    byte[] large = new byte[200_000]; // more than three of the writer's 64 KiB buffers
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    try (DurableFiles.AtomicWriter writer = DurableFiles.AtomicWriter.open(file)) {
      writer.write(large);
    }
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    assertThat(directoryListing()).containsExactly("data.bin");

    try (DurableFiles.AtomicWriter writer = DurableFiles.AtomicWriter.open(file)) {
      writer.write(Arrays.copyOf(large, 70_000));
      writer.write(large, 70_000, large.length - 70_000);
      writer.commit();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(large);
    assertThat(directoryListing()).containsExactly("data.bin");
  }
}
