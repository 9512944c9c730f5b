package io.tokenworks.protocol.latzero.block;

import java.nio.ByteOrder;

/**
 * Layout constants of a block file, format version 1. The byte-by-byte table and the protocols are
 * in the {@linkplain io.tokenworks.protocol.latzero.block package documentation}.
 *
 * <pre>
 *  0        8        16       24       32                                    64
 *  +--------+---+----+--------+----+---------------------------------------+
 *  | magic  |ver|hlen|  size  |crc |            reserved                   |  identity
 *  +--------+---+----+--------+----+---------------------------------------+
 *  |seqlock |version |                reserved                             |  64: read side
 *  +--------+--------+--------+--------+-----------------------------------+
 *  | lease  | owner  | expiry | stamp  |          reserved                 |  128: lease
 *  +--------+--------+--------+--------+-----------------------------------+
 *  |                         reserved                                      |  192
 *  +-----------------------------------------------------------------------+
 *  |                  data region: size bytes                              |  256
 *  +-----------------------------------------------------------------------+
 * </pre>
 */
public final class SharedBlockDescriptor {

  /** Byte order of every field; see the package documentation for why. */
  public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

  /** ASCII {@code LZ0BLOCK} read as a little-endian long. */
  public static final long MAGIC = 0x4B434F4C42305A4CL;

  public static final int FORMAT_VERSION = 1;

  public static final int CACHE_LINE_LENGTH = 64;
  public static final int HEADER_LENGTH = 4 * CACHE_LINE_LENGTH;

  public static final int MAGIC_OFFSET = 0;
  public static final int FORMAT_VERSION_OFFSET = 8;
  public static final int HEADER_LENGTH_OFFSET = 12;
  public static final int DATA_SIZE_OFFSET = 16;
  public static final int IDENTITY_CHECKSUM_OFFSET = 24;

  /** The identity checksum covers bytes 0 up to here. */
  public static final int IDENTITY_LENGTH = IDENTITY_CHECKSUM_OFFSET;

  public static final int SEQLOCK_OFFSET = CACHE_LINE_LENGTH;
  public static final int CONTENT_VERSION_OFFSET = SEQLOCK_OFFSET + 8;

  public static final int LEASE_WORD_OFFSET = 2 * CACHE_LINE_LENGTH;
  public static final int LEASE_OWNER_OFFSET = LEASE_WORD_OFFSET + 8;
  public static final int LEASE_EXPIRY_OFFSET = LEASE_WORD_OFFSET + 16;
  public static final int LEASE_STAMP_OFFSET = LEASE_WORD_OFFSET + 24;

  public static final int DATA_OFFSET = HEADER_LENGTH;

  /** The largest data region: a mapping of the whole file must fit Java's 2 GiB buffer limit. */
  public static final int MAX_DATA_SIZE = Integer.MAX_VALUE - HEADER_LENGTH;

  /**
   * How long a lease whose holder died before publishing its expiry must be seen unchanged before
   * another writer may take it over, in milliseconds.
   */
  public static final long UNPUBLISHED_LEASE_GRACE_MS = 1_000;

  private SharedBlockDescriptor() {}

  /** The lease word of a lease held with {@code fencingToken}. */
  public static long heldLeaseWord(long fencingToken) {
    return fencingToken << 1 | 1;
  }

  /** The lease word after the lease with {@code fencingToken} was released. */
  public static long freeLeaseWord(long fencingToken) {
    return fencingToken << 1;
  }

  public static boolean isHeld(long leaseWord) {
    return (leaseWord & 1) != 0;
  }

  public static long fencingToken(long leaseWord) {
    return leaseWord >>> 1;
  }

  /** The length of the file holding a data region of {@code dataSize} bytes. */
  public static long fileLength(int dataSize) {
    return (long) HEADER_LENGTH + dataSize;
  }
}
