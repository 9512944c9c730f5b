package io.tokenworks.protocol.latzero.block;

import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.DATA_SIZE_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.FORMAT_VERSION;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.FORMAT_VERSION_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.HEADER_LENGTH_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.IDENTITY_CHECKSUM_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.IDENTITY_LENGTH;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.MAGIC;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.MAGIC_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.MAX_DATA_SIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Writes and checks the identity line of a block header. */
final class BlockHeader {

  private BlockHeader() {}

  /** A whole header for a new block: identity filled in, seqlock, version and lease zero. */
  static ByteBuffer encode(int dataSize) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(BYTE_ORDER);
    header.putLong(MAGIC_OFFSET, MAGIC);
    header.putInt(FORMAT_VERSION_OFFSET, FORMAT_VERSION);
    header.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
    header.putLong(DATA_SIZE_OFFSET, dataSize);
    header.putInt(IDENTITY_CHECKSUM_OFFSET, identityChecksum(header));
    return header;
  }

  /**
   * Checks the header of a file of {@code fileLength} bytes.
   *
   * @param header as many of the file's first {@link SharedBlockDescriptor#HEADER_LENGTH} bytes as
   *     it has, from position 0 to the limit
   * @return the data size the header declares
   */
  static int validate(ByteBuffer header, long fileLength, Path path) {
    header.order(BYTE_ORDER);
    if (header.limit() >= Long.BYTES && header.getLong(MAGIC_OFFSET) != MAGIC) {
      throw fail(SharedBlockError.NOT_A_BLOCK, path, "does not start with the block magic");
    }
    if (fileLength < HEADER_LENGTH || header.limit() < HEADER_LENGTH) {
      throw fail(
          SharedBlockError.TRUNCATED,
          path,
          "is " + fileLength + " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
    }
    int version = header.getInt(FORMAT_VERSION_OFFSET);
    if (version != FORMAT_VERSION) {
      throw fail(
          SharedBlockError.UNSUPPORTED_VERSION,
          path,
          "has format version "
              + Integer.toUnsignedString(version)
              + ", expected "
              + FORMAT_VERSION);
    }
    if (header.getInt(IDENTITY_CHECKSUM_OFFSET) != identityChecksum(header)) {
      throw fail(SharedBlockError.CORRUPT_HEADER, path, "fails its identity checksum");
    }
    int headerLength = header.getInt(HEADER_LENGTH_OFFSET);
    long dataSize = header.getLong(DATA_SIZE_OFFSET);
    if (headerLength != HEADER_LENGTH || dataSize < 1 || dataSize > MAX_DATA_SIZE) {
      throw fail(
          SharedBlockError.CORRUPT_HEADER,
          path,
          "declares headerLength=" + headerLength + " size=" + dataSize);
    }
    long expected = HEADER_LENGTH + dataSize;
    if (fileLength < expected) {
      throw fail(
          SharedBlockError.TRUNCATED,
          path,
          "is " + fileLength + " bytes, its header declares " + expected);
    }
    if (fileLength > expected) {
      throw fail(
          SharedBlockError.LENGTH_MISMATCH,
          path,
          "is " + fileLength + " bytes, its header declares " + expected);
    }
    return (int) dataSize;
  }

  /**
   * Refuses a big-endian JVM: the atomic words are shared in native order and the format says
   * little-endian.
   */
  static void checkNativeOrder(ByteOrder nativeOrder) {
    if (nativeOrder != BYTE_ORDER) {
      throw new SharedBlockException(
          SharedBlockError.UNSUPPORTED_PLATFORM,
          "native byte order " + nativeOrder + " is not " + BYTE_ORDER + ", the block format's");
    }
  }

  static SharedBlockException fail(SharedBlockError error, Path path, String why) {
    return new SharedBlockException(error, "block file " + path + " " + why);
  }

  private static int identityChecksum(ByteBuffer header) {
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().position(0).limit(IDENTITY_LENGTH));
    return (int) crc.getValue();
  }
}
