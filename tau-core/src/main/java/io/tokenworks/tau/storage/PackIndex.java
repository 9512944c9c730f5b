package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The index that ends a chunk pack ({@link ChunkFile}).
 *
 * <p>Packs written by checkpoints end with an index of their images, so that opening a series reads
 * one small region per pack instead of every point ({@link ChunkFile#indexPack}); each image's own
 * checksums are then checked when a query reads it ({@link ChunkFile#readImage}). Packs without an
 * index (written before it existed) are scanned and fully verified instead.
 *
 * <pre>
 * | size     | field          | meaning                                                             |
 * |----------|----------------|---------------------------------------------------------------------|
 * | n × 72   | entries        | per image: offset u64, length u32, point count u32, min timestamp  |
 * |          |                | i64, max timestamp i64, series id u64 (reading the image checks     |
 * |          |                | that its header agrees on count and max timestamp), then the min,   |
 * |          |                | max, sum and sum's compensation of its values, f64 each ({@link    |
 * |          |                | ValueSummary}: an aggregate over the whole image reads these)       |
 * | 8        | magic          | ASCII "TAUPACKX"                                                    |
 * | 2        | version        | u16, 2 (version 1, written before summaries: 40-byte entries, the  |
 * |          |                | first six fields only; still read)                                  |
 * | 2        | flags          | u16, 0                                                              |
 * | 4        | entry count    | u32, n ≥ 1                                                          |
 * | 8        | index offset   | u64, where the entries start = the end of the last image            |
 * | 4        | index CRC32C   | u32, CRC32C of the entries                                          |
 * | 4        | trailer CRC32C | u32, CRC32C of the 24 trailer bytes before it                       |
 * </pre>
 */
final class PackIndex {

  /** ASCII {@code TAUPACKX}: the start of a pack index's trailer. */
  static final byte[] MAGIC = "TAUPACKX".getBytes(StandardCharsets.US_ASCII);

  static final int VERSION = 2;
  static final int ENTRY_LENGTH = 72;

  /** Entries of version 1 indexes: no value summary. */
  static final int V1_ENTRY_LENGTH = 40;

  static final int TRAILER_LENGTH = 32;

  private PackIndex() {}

  /**
   * The index that ends a pack holding {@code images} (in order, from offset 0, each with its value
   * summary).
   */
  static byte[] write(List<ChunkFile.Image> images) {
    int entriesLength = images.size() * ENTRY_LENGTH;
    UnsafeBuffer index = new UnsafeBuffer(new byte[entriesLength + TRAILER_LENGTH]);
    long end = 0;
    for (int i = 0; i < images.size(); i++) {
      ChunkFile.Image image = images.get(i);
      int at = i * ENTRY_LENGTH;
      index.putLong(at, image.offset(), ByteOrder.LITTLE_ENDIAN);
      index.putInt(at + 8, image.length(), ByteOrder.LITTLE_ENDIAN);
      index.putInt(at + 12, image.count(), ByteOrder.LITTLE_ENDIAN);
      index.putLong(at + 16, image.minTs(), ByteOrder.LITTLE_ENDIAN);
      index.putLong(at + 24, image.maxTs(), ByteOrder.LITTLE_ENDIAN);
      index.putLong(at + 32, image.seriesId(), ByteOrder.LITTLE_ENDIAN);
      index.putDouble(at + 40, image.values().min(), ByteOrder.LITTLE_ENDIAN);
      index.putDouble(at + 48, image.values().max(), ByteOrder.LITTLE_ENDIAN);
      index.putDouble(at + 56, image.values().sum(), ByteOrder.LITTLE_ENDIAN);
      index.putDouble(at + 64, image.values().compensation(), ByteOrder.LITTLE_ENDIAN);
      end = image.offset() + image.length();
    }
    byte[] bytes = index.byteArray();
    int trailer = entriesLength;
    index.putBytes(trailer, MAGIC);
    index.putShort(trailer + 8, (short) VERSION, ByteOrder.LITTLE_ENDIAN);
    index.putShort(trailer + 10, (short) 0, ByteOrder.LITTLE_ENDIAN);
    index.putInt(trailer + 12, images.size(), ByteOrder.LITTLE_ENDIAN);
    index.putLong(trailer + 16, end, ByteOrder.LITTLE_ENDIAN);
    index.putInt(trailer + 24, ChunkFile.crc32c(bytes, 0, entriesLength), ByteOrder.LITTLE_ENDIAN);
    index.putInt(trailer + 28, ChunkFile.crc32c(bytes, trailer, 28), ByteOrder.LITTLE_ENDIAN);
    return bytes;
  }

  /**
   * The images listed by the index that ends the pack, or null when the pack has none (its last
   * bytes are not an index trailer: a pack from before indexes). An index whose checksums or
   * entries do not hold together is damage.
   */
  static List<ChunkFile.Image> read(FileChannel channel, Path file, long size) throws IOException {
    if (size < TRAILER_LENGTH + V1_ENTRY_LENGTH + ChunkFile.HEADER_LENGTH) {
      return null;
    }
    byte[] trailerBytes = new byte[TRAILER_LENGTH];
    ChunkFile.readFully(channel, file, trailerBytes, 0, TRAILER_LENGTH, size - TRAILER_LENGTH);
    UnsafeBuffer trailer = new UnsafeBuffer(trailerBytes);
    for (int i = 0; i < MAGIC.length; i++) {
      if (trailer.getByte(i) != MAGIC[i]) {
        return null;
      }
    }
    if (trailer.getInt(28, ByteOrder.LITTLE_ENDIAN) != ChunkFile.crc32c(trailerBytes, 0, 28)) {
      throw new ChunkFile.CorruptChunkException(file, "pack index trailer CRC32C mismatch");
    }
    int version = trailer.getShort(8, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    int flags = trailer.getShort(10, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    if ((version != VERSION && version != 1) || flags != 0) {
      throw new ChunkFile.CorruptChunkException(
          file,
          "unsupported pack index version " + version + " flags 0x" + Integer.toHexString(flags));
    }
    long entries = trailer.getInt(12, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    long indexOffset = trailer.getLong(16, ByteOrder.LITTLE_ENDIAN);
    int entryLength = version == 1 ? V1_ENTRY_LENGTH : ENTRY_LENGTH;
    if (entries < 1
        || indexOffset < ChunkFile.HEADER_LENGTH
        || indexOffset + entries * entryLength + TRAILER_LENGTH != size) {
      throw new ChunkFile.CorruptChunkException(
          file,
          "pack index of " + entries + " entries at " + indexOffset + " does not fit the file");
    }
    byte[] entryBytes = new byte[(int) entries * entryLength];
    ChunkFile.readFully(channel, file, entryBytes, 0, entryBytes.length, indexOffset);
    if (trailer.getInt(24, ByteOrder.LITTLE_ENDIAN)
        != ChunkFile.crc32c(entryBytes, 0, entryBytes.length)) {
      throw new ChunkFile.CorruptChunkException(file, "pack index CRC32C mismatch");
    }
    UnsafeBuffer index = new UnsafeBuffer(entryBytes);
    List<ChunkFile.Image> images = new ArrayList<>((int) entries);
    long expectedOffset = 0;
    for (int i = 0; i < entries; i++) {
      int at = i * entryLength;
      ValueSummary values =
          version == 1
              ? null
              : new ValueSummary(
                  index.getDouble(at + 40, ByteOrder.LITTLE_ENDIAN),
                  index.getDouble(at + 48, ByteOrder.LITTLE_ENDIAN),
                  index.getDouble(at + 56, ByteOrder.LITTLE_ENDIAN),
                  index.getDouble(at + 64, ByteOrder.LITTLE_ENDIAN));
      ChunkFile.Image image =
          new ChunkFile.Image(
              index.getLong(at, ByteOrder.LITTLE_ENDIAN),
              index.getInt(at + 8, ByteOrder.LITTLE_ENDIAN),
              index.getInt(at + 12, ByteOrder.LITTLE_ENDIAN),
              index.getLong(at + 16, ByteOrder.LITTLE_ENDIAN),
              index.getLong(at + 24, ByteOrder.LITTLE_ENDIAN),
              index.getLong(at + 32, ByteOrder.LITTLE_ENDIAN),
              values);
      if (image.offset() != expectedOffset
          || image.length() < ChunkFile.HEADER_LENGTH
          || image.count() < 1
          || image.count() > GorillaCodec.MAX_COUNT
          || image.minTs() > image.maxTs()) {
        throw new ChunkFile.CorruptChunkException(
            file, "pack index entry " + i + " is impossible: " + image);
      }
      expectedOffset += image.length();
      images.add(image);
    }
    if (expectedOffset != indexOffset) {
      throw new ChunkFile.CorruptChunkException(
          file,
          "pack index entries end at " + expectedOffset + ", the index starts at " + indexOffset);
    }
    return images;
  }
}
