package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The on-disk format of one sealed chunk: a fixed little-endian header followed by a {@link
 * GorillaCodec} payload. Files are written atomically (temporary file, force, atomic rename, force
 * the directory) and every read verifies both checksums and the decoded points before returning
 * anything.
 *
 * <h2>Layout (format version 1, little-endian)</h2>
 *
 * <pre>
 * | offset | size | field            | meaning                                                          |
 * |--------|------|------------------|------------------------------------------------------------------|
 * |      0 |    8 | magic            | ASCII "TAUCHUNK"                                                 |
 * |      8 |    2 | version          | u16, 1                                                           |
 * |     10 |    2 | flags            | u16, 0; a reader rejects bits it does not know                   |
 * |     12 |    4 | point count      | u32, 1..GorillaCodec.MAX_COUNT                                   |
 * |     16 |    8 | min timestamp    | i64, the first point's timestamp                                 |
 * |     24 |    8 | max timestamp    | i64, the last point's timestamp                                  |
 * |     32 |    8 | series id        | u64, opaque, as given to write                                   |
 * |     40 |    4 | payload length   | u32, bytes after the header; the file is exactly 52 + this long  |
 * |     44 |    4 | payload CRC32C   | u32, CRC32C of the payload bytes                                 |
 * |     48 |    4 | header CRC32C    | u32, CRC32C of header bytes 0..47                                |
 * |     52 |    n | payload          | GorillaCodec block of point count points                         |
 * </pre>
 *
 * <p>Magic and version come first and keep their place in every version, so a reader checks them
 * before the header checksum, whose position a later version may move. Timestamps in a chunk are
 * strictly increasing.
 *
 * <p>A series' sealed chunks are stored as <em>packs</em>: files holding one or more such images
 * back to back ({@link #readPack}), each image complete with its own header and checksums. A file
 * with one image is a pack of one, so single-chunk files read the same way.
 *
 * <p>Packs written by checkpoints end with an index of their images ({@link PackIndex}).
 */
public final class ChunkFile {

  /** ASCII {@code TAUCHUNK}. */
  static final byte[] MAGIC = "TAUCHUNK".getBytes(StandardCharsets.US_ASCII);

  static final int VERSION = 1;
  static final int MAGIC_OFFSET = 0;
  static final int VERSION_OFFSET = 8;
  static final int FLAGS_OFFSET = 10;
  static final int COUNT_OFFSET = 12;
  static final int MIN_TIMESTAMP_OFFSET = 16;
  static final int MAX_TIMESTAMP_OFFSET = 24;
  static final int SERIES_ID_OFFSET = 32;
  static final int PAYLOAD_LENGTH_OFFSET = 40;
  static final int PAYLOAD_CRC_OFFSET = 44;
  static final int HEADER_CRC_OFFSET = 48;
  static final int HEADER_LENGTH = 52;

  private ChunkFile() {}

  /**
   * A chunk read back from disk. The arrays hold exactly {@code count} points and belong to the
   * caller; as with any record over arrays, {@code equals} compares them by identity.
   */
  public record Chunk(
      long seriesId, int count, long minTs, long maxTs, long[] timestamps, double[] values) {}

  /** A chunk file that is not a valid chunk: the message names the file and what is wrong. */
  public static final class CorruptChunkException extends IOException {
    private final String what;

    CorruptChunkException(Path file, String what) {
      super("corrupt chunk file " + file + ": " + what);
      this.what = what;
    }

    CorruptChunkException(Path file, String what, Throwable cause) {
      super("corrupt chunk file " + file + ": " + what, cause);
      this.what = what;
    }

    /** What is wrong, without the file's name. */
    String what() {
      return what;
    }
  }

  /**
   * Writes {@code count} points as the chunk {@code file}, a pack of one image, replacing any file
   * of that name atomically and forced: a reader, or a crash at any moment, sees either the old
   * file or the complete new one. The temporary file is {@code <file name>.tmp} beside it, so a
   * crash mid-write leaves at most that one file, which the next write of the same chunk
   * overwrites.
   *
   * @throws IllegalArgumentException if {@code count} is not in 1..MAX_COUNT, the arrays are
   *     shorter, or the timestamps are not strictly increasing
   */
  public static void write(Path file, long seriesId, long[] ts, double[] values, int count)
      throws IOException {
    DurableFiles.writeAtomically(file, encode(seriesId, ts, values, count));
  }

  /**
   * Where one image of a pack lies, and what its verified header says; {@code values} summarizes
   * its values when the pack's index holds that (null for packs from before summaries).
   */
  public record Image(
      long offset,
      int length,
      int count,
      long minTs,
      long maxTs,
      long seriesId,
      ValueSummary values) {}

  /**
   * Reads and fully verifies every image of a pack file, in order.
   *
   * @throws CorruptChunkException if any image is wrong, or the file ends inside one (the message
   *     names the file and the image's byte offset)
   */
  public static List<Chunk> readPack(Path file) throws IOException {
    List<Chunk> chunks = new ArrayList<>();
    for (Image image : indexPack(file)) {
      chunks.add(readImage(file, image.offset(), image.length()));
    }
    return chunks;
  }

  /**
   * Lists the images of a pack file. From the pack's index when it has one (one read at its end;
   * the images' own checksums are checked when they are read); otherwise by reading the whole pack,
   * checking each header and payload checksum on the way without decoding the points.
   *
   * @throws CorruptChunkException if any image is wrong, or the file ends inside one (the message
   *     names the file and the image's byte offset)
   */
  public static List<Image> indexPack(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size == 0) {
        throw new CorruptChunkException(file, "empty, not a chunk pack");
      }
      List<Image> indexed = PackIndex.read(channel, file, size);
      if (indexed != null) {
        return indexed;
      }
      List<Image> images = new ArrayList<>();
      byte[] header = new byte[HEADER_LENGTH];
      byte[] payload = new byte[64 * 1024];
      long offset = 0;
      while (offset < size) {
        long available = size - offset;
        if (available < HEADER_LENGTH) {
          throw new CorruptChunkException(
              file, "truncated: image at byte " + offset + " ends inside its header");
        }
        readFully(channel, file, header, 0, HEADER_LENGTH, offset);
        Header parsed;
        try {
          parsed = verifyHeader(file, new UnsafeBuffer(header), available, false);
        } catch (CorruptChunkException e) {
          throw new CorruptChunkException(file, "image at byte " + offset + ": " + e.what(), e);
        }
        CRC32C crc = new CRC32C();
        long position = offset + HEADER_LENGTH;
        for (int left = parsed.payloadLength; left > 0; ) {
          int piece = Math.min(left, payload.length);
          readFully(channel, file, payload, 0, piece, position);
          crc.update(payload, 0, piece);
          position += piece;
          left -= piece;
        }
        checkPayloadCrc(file, offset, parsed, (int) crc.getValue());
        int length = HEADER_LENGTH + parsed.payloadLength;
        images.add(
            new Image(
                offset, length, parsed.count, parsed.minTs, parsed.maxTs, parsed.seriesId, null));
        offset += length;
      }
      return images;
    }
  }

  /**
   * Reads and fully verifies the image of {@code length} bytes at {@code offset} in a pack file.
   *
   * @throws CorruptChunkException if the image is wrong or the file ends inside it
   */
  public static Chunk readImage(Path file, long offset, int length) throws IOException {
    if (length < HEADER_LENGTH) {
      throw new IllegalArgumentException("an image is at least " + HEADER_LENGTH + " bytes");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] bytes = new byte[length];
      readFully(channel, file, bytes, 0, length, offset);
      Header parsed = verifyHeader(file, new UnsafeBuffer(bytes, 0, HEADER_LENGTH), length, true);
      checkPayloadCrc(file, offset, parsed, crc32c(bytes, HEADER_LENGTH, parsed.payloadLength));
      return decodePayload(
          file, parsed, new UnsafeBuffer(bytes, HEADER_LENGTH, parsed.payloadLength));
    }
  }

  /** The complete file image: header then payload. */
  static byte[] encode(long seriesId, long[] ts, double[] values, int count) {
    ExpandableArrayBuffer buffer =
        new ExpandableArrayBuffer(HEADER_LENGTH + GorillaCodec.maxEncodedLength(count));
    int length = encode(seriesId, ts, values, count, buffer);
    return Arrays.copyOf(buffer.byteArray(), length);
  }

  /**
   * {@link #encode(long, long[], double[], int)} into {@code buffer} from offset 0, which grows as
   * needed, so a caller writing many chunks reuses one buffer; returns the image's length.
   */
  static int encode(
      long seriesId, long[] ts, double[] values, int count, ExpandableArrayBuffer buffer) {
    checkPoints(ts, values, count);
    int payloadLength = GorillaCodec.encode(ts, values, count, buffer, HEADER_LENGTH);
    buffer.putBytes(MAGIC_OFFSET, MAGIC);
    buffer.putShort(VERSION_OFFSET, (short) VERSION, ByteOrder.LITTLE_ENDIAN);
    buffer.putShort(FLAGS_OFFSET, (short) 0, ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(COUNT_OFFSET, count, ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(MIN_TIMESTAMP_OFFSET, ts[0], ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(MAX_TIMESTAMP_OFFSET, ts[count - 1], ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(SERIES_ID_OFFSET, seriesId, ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(PAYLOAD_LENGTH_OFFSET, payloadLength, ByteOrder.LITTLE_ENDIAN);
    byte[] bytes = buffer.byteArray();
    buffer.putInt(
        PAYLOAD_CRC_OFFSET, crc32c(bytes, HEADER_LENGTH, payloadLength), ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(HEADER_CRC_OFFSET, crc32c(bytes, 0, HEADER_CRC_OFFSET), ByteOrder.LITTLE_ENDIAN);
    return HEADER_LENGTH + payloadLength;
  }

  /**
   * Reads and fully verifies a chunk file.
   *
   * @throws CorruptChunkException if the magic, version, flags, a checksum, a length or the decoded
   *     points are wrong
   * @throws IOException if the file cannot be read at all
   */
  public static Chunk read(Path file) throws IOException {
    long size = Files.size(file);
    if (size < HEADER_LENGTH) {
      throw new CorruptChunkException(
          file,
          "truncated: " + size + " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
    }
    if (size > HEADER_LENGTH + (long) GorillaCodec.maxEncodedLength(GorillaCodec.MAX_COUNT)) {
      throw new CorruptChunkException(file, "trailing bytes: " + size + " bytes is too long");
    }
    return readImage(file, 0, (int) size);
  }

  private record Header(
      int count, long minTs, long maxTs, long seriesId, int payloadLength, int payloadCrc) {}

  /**
   * Checks a header against the {@code size} bytes from its start to the end of the file: exactly
   * one image when {@code exact}, at least one otherwise (a pack holds more after it).
   */
  private static Header verifyHeader(Path file, UnsafeBuffer header, long size, boolean exact)
      throws CorruptChunkException {
    for (int i = 0; i < MAGIC.length; i++) {
      if (header.getByte(MAGIC_OFFSET + i) != MAGIC[i]) {
        throw new CorruptChunkException(file, "bad magic, not a Tau chunk file");
      }
    }
    int version = header.getShort(VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    if (version != VERSION) {
      throw new CorruptChunkException(
          file, "unsupported format version " + version + " (this build reads " + VERSION + ")");
    }
    int storedHeaderCrc = header.getInt(HEADER_CRC_OFFSET, ByteOrder.LITTLE_ENDIAN);
    int headerCrc = crc32c(header.byteArray(), 0, HEADER_CRC_OFFSET);
    if (storedHeaderCrc != headerCrc) {
      throw new CorruptChunkException(
          file,
          "header CRC32C mismatch: stored=" + hex(storedHeaderCrc) + " computed=" + hex(headerCrc));
    }
    int flags = header.getShort(FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    if (flags != 0) {
      throw new CorruptChunkException(file, "unknown flags 0x" + Integer.toHexString(flags));
    }
    long count = header.getInt(COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    if (count < 1 || count > GorillaCodec.MAX_COUNT) {
      throw new CorruptChunkException(file, "point count " + count + " out of range");
    }
    long payloadLength =
        header.getInt(PAYLOAD_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    if (payloadLength > GorillaCodec.maxEncodedLength((int) count)) {
      throw new CorruptChunkException(
          file, "payload length " + payloadLength + " impossible for " + count + " points");
    }
    if (size < HEADER_LENGTH + payloadLength || (exact && size != HEADER_LENGTH + payloadLength)) {
      throw new CorruptChunkException(
          file,
          (size < HEADER_LENGTH + payloadLength ? "truncated" : "trailing bytes")
              + ": file is "
              + size
              + " bytes, header says "
              + (HEADER_LENGTH + payloadLength));
    }
    return new Header(
        (int) count,
        header.getLong(MIN_TIMESTAMP_OFFSET, ByteOrder.LITTLE_ENDIAN),
        header.getLong(MAX_TIMESTAMP_OFFSET, ByteOrder.LITTLE_ENDIAN),
        header.getLong(SERIES_ID_OFFSET, ByteOrder.LITTLE_ENDIAN),
        (int) payloadLength,
        header.getInt(PAYLOAD_CRC_OFFSET, ByteOrder.LITTLE_ENDIAN));
  }

  private static void checkPayloadCrc(Path file, long offset, Header header, int computed)
      throws CorruptChunkException {
    if (computed != header.payloadCrc) {
      throw new CorruptChunkException(
          file,
          "image at byte "
              + offset
              + ": payload CRC32C mismatch: stored="
              + hex(header.payloadCrc)
              + " computed="
              + hex(computed));
    }
  }

  private static Chunk decodePayload(Path file, Header header, UnsafeBuffer payload)
      throws CorruptChunkException {
    int count = header.count;
    long[] timestamps = new long[count];
    double[] values = new double[count];
    try {
      GorillaCodec.decode(payload, 0, payload.capacity(), count, timestamps, values);
    } catch (GorillaCodec.MalformedBlockException e) {
      throw new CorruptChunkException(file, "payload does not decode: " + e.getMessage(), e);
    }
    for (int i = 1; i < count; i++) {
      if (timestamps[i] <= timestamps[i - 1]) {
        throw new CorruptChunkException(
            file, "timestamps not strictly increasing at point " + i + " of " + count);
      }
    }
    if (timestamps[0] != header.minTs || timestamps[count - 1] != header.maxTs) {
      throw new CorruptChunkException(
          file,
          "points span ["
              + timestamps[0]
              + ", "
              + timestamps[count - 1]
              + "] but header says ["
              + header.minTs
              + ", "
              + header.maxTs
              + "]");
    }
    return new Chunk(header.seriesId, count, header.minTs, header.maxTs, timestamps, values);
  }

  static void readFully(
      FileChannel channel, Path file, byte[] target, int from, int length, long position)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(target, from, length).slice();
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new CorruptChunkException(
            file, "truncated while reading: ended at byte " + (position + buffer.position()));
      }
    }
  }

  private static void checkPoints(long[] ts, double[] values, int count) {
    if (count < 1 || count > GorillaCodec.MAX_COUNT) {
      throw new IllegalArgumentException(
          "chunk point count out of range: count=" + count + " max=" + GorillaCodec.MAX_COUNT);
    }
    if (ts.length < count || values.length < count) {
      throw new IllegalArgumentException(
          "arrays shorter than count: count=" + count + " ts.length=" + ts.length);
    }
    for (int i = 1; i < count; i++) {
      if (ts[i] <= ts[i - 1]) {
        throw new IllegalArgumentException(
            "timestamps not strictly increasing: ts["
                + (i - 1)
                + "]="
                + ts[i - 1]
                + " ts["
                + i
                + "]="
                + ts[i]);
      }
    }
  }

  static int crc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private static String hex(int value) {
    return String.format("0x%08x", value);
  }
}
