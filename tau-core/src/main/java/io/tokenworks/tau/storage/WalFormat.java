package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The WAL's bytes. A segment file {@code wal-<16 hex digits>.log} starts with a header, then
 * records back to back. Every field is little-endian.
 *
 * <pre>
 *  segment header (16 bytes)
 *    0   8  magic "TAUWAL01"
 *    8   8  segment number (u64)
 *
 *  record (16 + 16 x count bytes)
 *    0   4  body length (u32) = 12 + 16 x count
 *    4   4  CRC32C of the body
 *    8   8  series id (u64)          \
 *   16   4  point count (u32, >= 1)   | body
 *   20  16  x count: timestamp (i64), value bits (u64)
 * </pre>
 *
 * <p>A crash can leave a torn last record: recovery stops at the first record that is short or
 * fails its CRC, and cuts the last segment there. Such a record was never acknowledged, because an
 * acknowledgement waits for the write (and, by default, the force) that completes it. The open
 * segment's file may also run on in zeros past its last record (it is mapped and extended a window
 * at a time, see {@link WalSegmentFile}); a zero length is never a valid record, so recovery cuts
 * that tail the same way. A segment is cut to its records before the next one is created, so only
 * the last segment can end in zeros.
 */
public final class WalFormat {

  static final byte[] MAGIC = {'T', 'A', 'U', 'W', 'A', 'L', '0', '1'};
  static final int SEGMENT_HEADER_LENGTH = 16;
  static final int RECORD_HEADER_LENGTH = 8;
  static final int BODY_FIXED_LENGTH = 12;
  static final int POINT_LENGTH = 16;
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
  private static final String PREFIX = "wal-";
  private static final String SUFFIX = ".log";
  private static final String RETIRED_SUFFIX = ".retired";
  private static final long RETIRE_STEP_BYTES = 8L << 20;

  private WalFormat() {}

  /** Receives the records of a replay in log order. */
  public interface RecordVisitor {
    void record(long seriesId, long[] timestamps, double[] values, int count);
  }

  static int recordLength(int count) {
    return RECORD_HEADER_LENGTH + BODY_FIXED_LENGTH + POINT_LENGTH * count;
  }

  static Path segmentPath(Path directory, long segment) {
    return directory.resolve(String.format("%s%016x%s", PREFIX, segment, SUFFIX));
  }

  /** The segment numbers present in {@code directory}, ascending. */
  public static List<Long> segments(Path directory) throws IOException {
    List<Long> numbers = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return numbers;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String hex = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        if (hex.length() == 16 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          numbers.add(Long.parseUnsignedLong(hex, 16));
        }
      }
    }
    Collections.sort(numbers);
    return numbers;
  }

  /**
   * Deletes a segment whose records are all in forced chunk files. It is renamed first, and the
   * rename forced, so that a crash midway leaves a file recovery deletes ({@link #replay}), never a
   * shortened segment it would have to take for damage; then it is cut from the end in 8 MiB steps,
   * pausing as long as each step took, and removed. Freeing a 256 MiB segment in one unlink held a
   * CPU for 120 ms on an ext4 mounted with {@code discard}, stalling the network threads of a
   * 2-core machine.
   */
  static void retire(Path directory, long segment) throws IOException {
    Path file = segmentPath(directory, segment);
    if (!Files.exists(file)) {
      return;
    }
    Path retired = file.resolveSibling(file.getFileName() + RETIRED_SUFFIX);
    Files.move(file, retired, StandardCopyOption.ATOMIC_MOVE);
    DurableFiles.forceDirectory(directory);
    deleteGradually(retired);
  }

  private static void deleteGradually(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (long size = channel.size(); size > 0; ) {
        long started = System.nanoTime();
        size = Math.max(0, size - RETIRE_STEP_BYTES);
        channel.truncate(size);
        LockSupport.parkNanos(System.nanoTime() - started);
      }
    }
    Files.delete(file);
  }

  /** Deletes the segments a crash left half retired. */
  private static void deleteRetired(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX + RETIRED_SUFFIX)) {
      for (Path file : files) {
        deleteGradually(file);
      }
    }
  }

  static FileChannel createSegment(Path directory, long segment) throws IOException {
    Path file = segmentPath(directory, segment);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_LENGTH).order(ORDER);
    header.put(MAGIC).putLong(segment).flip();
    while (header.hasRemaining()) {
      channel.write(header);
    }
    channel.force(true);
    DurableFiles.forceDirectory(directory);
    return channel;
  }

  static int writeRecord(
      MutableDirectBuffer buffer,
      int offset,
      CRC32C crc,
      long seriesId,
      long[] timestamps,
      double[] values,
      int from,
      int count) {
    int body = offset + RECORD_HEADER_LENGTH;
    buffer.putLong(body, seriesId, ORDER);
    buffer.putInt(body + 8, count, ORDER);
    int position = body + BODY_FIXED_LENGTH;
    for (int i = from; i < from + count; i++) {
      buffer.putLong(position, timestamps[i], ORDER);
      buffer.putLong(position + 8, Double.doubleToRawLongBits(values[i]), ORDER);
      position += POINT_LENGTH;
    }
    return finishRecord(buffer, offset, crc, position - body);
  }

  /**
   * Starts a one-point record at {@code offset} whose header stays open: {@link #extendRecord} may
   * add points to it until {@link #closeRecord} writes its length and CRC. Returns the bytes
   * written.
   */
  static int openRecord(
      MutableDirectBuffer buffer, int offset, long seriesId, long timestamp, double value) {
    int body = offset + RECORD_HEADER_LENGTH;
    buffer.putLong(body, seriesId, ORDER);
    buffer.putInt(body + 8, 1, ORDER);
    buffer.putLong(body + 12, timestamp, ORDER);
    buffer.putLong(body + 20, Double.doubleToRawLongBits(value), ORDER);
    return recordLength(1);
  }

  /**
   * Adds a point at {@code end}, the end of the open record at {@code offset}. Returns the bytes
   * written.
   */
  static int extendRecord(
      MutableDirectBuffer buffer, int offset, int end, long timestamp, double value) {
    buffer.putLong(end, timestamp, ORDER);
    buffer.putLong(end + 8, Double.doubleToRawLongBits(value), ORDER);
    int countAt = offset + RECORD_HEADER_LENGTH + 8;
    buffer.putInt(countAt, buffer.getInt(countAt, ORDER) + 1, ORDER);
    return POINT_LENGTH;
  }

  /** Writes the length and CRC of the open record at {@code offset}, which ends at {@code end}. */
  static void closeRecord(MutableDirectBuffer buffer, int offset, int end, CRC32C crc) {
    finishRecord(buffer, offset, crc, end - offset - RECORD_HEADER_LENGTH);
  }

  private static int finishRecord(
      MutableDirectBuffer buffer, int offset, CRC32C crc, int bodyLength) {
    crc.reset();
    crc.update(buffer.byteArray(), offset + RECORD_HEADER_LENGTH, bodyLength);
    buffer.putInt(offset, bodyLength, ORDER);
    buffer.putInt(offset + 4, (int) crc.getValue(), ORDER);
    return RECORD_HEADER_LENGTH + bodyLength;
  }

  /**
   * Replays every segment in order, after deleting any segment a crash left half retired ({@link
   * #retire}). A short or corrupt record ends the replay; if it lies in the last segment (a torn
   * tail) the segment is cut there, otherwise the log is damaged beyond a crash and this throws.
   *
   * @return the highest segment number seen, or -1 when there is none
   */
  public static long replay(Path directory, RecordVisitor visitor) throws IOException {
    deleteRetired(directory);
    List<Long> numbers = segments(directory);
    for (int i = 0; i < numbers.size(); i++) {
      Path file = segmentPath(directory, numbers.get(i));
      long goodEnd = replaySegment(file, numbers.get(i), visitor);
      long size = Files.size(file);
      if (goodEnd < size) {
        if (i < numbers.size() - 1) {
          throw new IOException(
              "WAL segment "
                  + file
                  + " is damaged at byte "
                  + goodEnd
                  + " of "
                  + size
                  + " but is not the last segment: refusing to drop acknowledged writes");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(goodEnd);
          channel.force(true);
        }
      }
    }
    return numbers.isEmpty() ? -1 : numbers.get(numbers.size() - 1);
  }

  /** Replays one segment; returns the offset just past its last good record. */
  private static long replaySegment(Path file, long expectedNumber, RecordVisitor visitor)
      throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    if (bytes.length < SEGMENT_HEADER_LENGTH) {
      return 0;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new IOException("WAL segment " + file + " does not start with the TAUWAL01 magic");
      }
    }
    if (buffer.getLong(8, ORDER) != expectedNumber) {
      throw new IOException("WAL segment " + file + " carries the wrong segment number");
    }
    CRC32C crc = new CRC32C();
    long[] timestamps = new long[0];
    double[] values = new double[0];
    int position = SEGMENT_HEADER_LENGTH;
    while (position + RECORD_HEADER_LENGTH <= bytes.length) {
      int bodyLength = buffer.getInt(position, ORDER);
      int body = position + RECORD_HEADER_LENGTH;
      if (bodyLength < BODY_FIXED_LENGTH + POINT_LENGTH
          || (bodyLength - BODY_FIXED_LENGTH) % POINT_LENGTH != 0
          || bodyLength > bytes.length - body) {
        break;
      }
      crc.reset();
      crc.update(bytes, body, bodyLength);
      if ((int) crc.getValue() != buffer.getInt(position + 4, ORDER)) {
        break;
      }
      long seriesId = buffer.getLong(body, ORDER);
      int count = buffer.getInt(body + 8, ORDER);
      if (count != (bodyLength - BODY_FIXED_LENGTH) / POINT_LENGTH) {
        break;
      }
      if (timestamps.length < count) {
        timestamps = new long[count];
        values = new double[count];
      }
      int point = body + BODY_FIXED_LENGTH;
      for (int i = 0; i < count; i++, point += POINT_LENGTH) {
        timestamps[i] = buffer.getLong(point, ORDER);
        values[i] = Double.longBitsToDouble(buffer.getLong(point + 8, ORDER));
      }
      visitor.record(seriesId, timestamps, values, count);
      position = body + bodyLength;
    }
    return position;
  }
}
