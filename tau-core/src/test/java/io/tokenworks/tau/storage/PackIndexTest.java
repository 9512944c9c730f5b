package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pack ends with an index of its images: opening reads that instead of every point, a damaged
 * payload is found when its chunk is read, and packs from before the index still load.
 */
class PackIndexTest {

  private static final long SERIES_ID = 42;

  @TempDir Path directory;

  private final List<ChunkFile.Image> images = new ArrayList<>();

  /** Three images of 10, 20 and 30 points (value = 2 × timestamp) back to back. */
  private byte[] images() throws IOException {
    ByteArrayOutputStream pack = new ByteArrayOutputStream();
    long t = 1000;
    for (int count = 10; count <= 30; count += 10) {
      long[] timestamps = new long[count];
      double[] values = new double[count];
      for (int i = 0; i < count; i++, t += 7) {
        timestamps[i] = t;
        values[i] = 2.0 * t;
      }
      byte[] image = ChunkFile.encode(SERIES_ID, timestamps, values, count);
      images.add(
          new ChunkFile.Image(
              pack.size(),
              image.length,
              count,
              timestamps[0],
              timestamps[count - 1],
              SERIES_ID,
              ValueSummary.of(values, count)));
      pack.write(image);
    }
    return pack.toByteArray();
  }

  private Path write(byte[]... parts) throws IOException {
    Path file = directory.resolve("chunk-00000000.tch");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.write(part);
    }
    Files.write(file, bytes.toByteArray());
    return file;
  }

  @Test
  void theIndexListsTheImagesWithoutTheirPayloadsBeingRead() throws IOException {
    byte[] packed = images();
    // A flipped bit in the last image's payload: the index does not notice, reading the image does.
    packed[packed.length - 5] ^= 0x10;
    Path pack = write(packed, PackIndex.write(images));

    assertThat(ChunkFile.indexPack(pack)).isEqualTo(images);
    ChunkFile.Image first = images.get(0);
    assertThat(ChunkFile.readImage(pack, first.offset(), first.length()).values())
        .startsWith(2000.0, 2014.0);
    ChunkFile.Image last = images.get(2);
    assertThatThrownBy(() -> ChunkFile.readImage(pack, last.offset(), last.length()))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("payload CRC32C mismatch");
    assertThatThrownBy(() -> ChunkFile.readPack(pack))
        .isInstanceOf(ChunkFile.CorruptChunkException.class);
  }

  @Test
  void aPackWithoutAnIndexIsScannedAndFullyVerified() throws IOException {
    byte[] packed = images();
    Path pack = write(packed);
    // A scan reads the images' headers, not their values: no summaries.
    assertThat(ChunkFile.indexPack(pack))
        .isEqualTo(
            images.stream()
                .map(
                    i ->
                        new ChunkFile.Image(
                            i.offset(),
                            i.length(),
                            i.count(),
                            i.minTs(),
                            i.maxTs(),
                            i.seriesId(),
                            null))
                .toList());

    packed[packed.length - 5] ^= 0x10;
    write(packed);
    assertThatThrownBy(() -> ChunkFile.indexPack(pack))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("payload CRC32C mismatch");
  }

  @Test
  void aDamagedOrCutIndexIsRefusedNamingThePack() throws IOException {
    byte[] packed = images();
    byte[] index = PackIndex.write(images);
    int trailer = index.length - PackIndex.TRAILER_LENGTH;

    byte[] entry = index.clone();
    entry[17] ^= 1; // the first entry's first timestamp
    Path pack = write(packed, entry);
    assertThatThrownBy(() -> ChunkFile.indexPack(pack))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining(pack.toString())
        .hasMessageContaining("pack index CRC32C mismatch");

    byte[] count = index.clone();
    count[trailer + 12] = 5; // five entries claimed
    write(packed, count);
    assertThatThrownBy(() -> ChunkFile.indexPack(pack))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("trailer CRC32C mismatch");

    // Cut inside the index: no trailer at the end, so the pack is scanned, and the scan finds bytes
    // after the last image that are not an image.
    write(packed, Arrays.copyOf(index, index.length - 3));
    assertThatThrownBy(() -> ChunkFile.indexPack(pack))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("image at byte " + packed.length);
  }

  @Test
  void anIndexWhoseEntriesDoNotTileTheImagesIsRefused() throws IOException {
    byte[] packed = images();
    List<ChunkFile.Image> gap = new ArrayList<>(images);
    ChunkFile.Image second = gap.get(1);
    gap.set(
        1,
        new ChunkFile.Image(
            second.offset() + 1,
            second.length() - 1,
            second.count(),
            second.minTs(),
            second.maxTs(),
            SERIES_ID,
            second.values()));
    Path pack = write(packed, PackIndex.write(gap));
    assertThatThrownBy(() -> ChunkFile.indexPack(pack))
        .isInstanceOf(ChunkFile.CorruptChunkException.class)
        .hasMessageContaining("pack index entry 1 is impossible");
  }
}
