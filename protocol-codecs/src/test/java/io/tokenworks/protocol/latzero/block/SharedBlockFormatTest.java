package io.tokenworks.protocol.latzero.block;

import static io.tokenworks.protocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file format: header bytes, creation, and every way a file can fail to open. */
class SharedBlockFormatTest {

  /** The header of a fresh 64-byte block, byte for byte as the package documentation draws it. */
  private static final String FRESH_HEADER_64 =
      "4c5a30424c4f434b" // magic "LZ0BLOCK"
          + "01000000" // format version 1
          + "00010000" // header length 256
          + "4000000000000000" // data size 64
          + "6b6fc120" // CRC-32C of the 24 bytes above
          + "00".repeat(36) // reserved
          + "00".repeat(64) // seqlock 0, content version 0, reserved
          + "00".repeat(64) // lease word, owner, expiry, stamp: never leased
          + "00".repeat(64); // reserved

  @TempDir Path dir;

  @Test
  void createWritesTheDocumentedHeaderAndExactLength() throws IOException {
    Path file = dir.resolve("a/b/block");
    SharedBlock.create(file, 64).close();
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes).hasSize(256 + 64);
    assertThat(HexFormat.of().formatHex(bytes, 0, 256)).isEqualTo(FRESH_HEADER_64);
    assertThat(Arrays.copyOfRange(bytes, 256, bytes.length)).containsOnly(0);
  }

  @Test
  void createLeavesNoTemporaryFileBehind() throws IOException {
    SharedBlock.create(dir.resolve("block"), 10).close();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("block");
    }
  }

  @Test
  void goldenVersionOneFileOpensWithItsContentsAndLease() throws IOException {
    Path file = dir.resolve("golden");
    try (InputStream in = getClass().getResourceAsStream("golden-v1-64.block")) {
      Files.copy(in, file);
    }
    byte[] before = Files.readAllBytes(file);
    try (SharedBlock block = SharedBlock.open(file, BlockAccess.READ_ONLY)) {
      assertThat(block.size()).isEqualTo(64);
      assertThat(block.contentVersion()).isEqualTo(1);
      assertThat(block.leaseState()).isEqualTo(new LeaseState(false, 1, 42, 1_700_000_005_000L));
      byte[] data = new byte[9];
      assertThat(block.read(0, data, 0, 9)).isEqualTo(1);
      assertThat(new String(data, StandardCharsets.US_ASCII)).isEqualTo("golden v1");
      assertThat(block.readVersion()).isEqualTo(2);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void createRefusesAnExistingFileAndLeavesItUntouched() throws IOException {
    Path file = dir.resolve("taken");
    Files.write(file, hex("01020304"));
    assertError(() -> SharedBlock.create(file, 64), SharedBlockError.ALREADY_EXISTS);
    assertThat(Files.readAllBytes(file)).isEqualTo(hex("01020304"));
  }

  @Test
  void createRefusesSizesOutsideTheFormat() {
    assertError(() -> SharedBlock.create(dir.resolve("z"), 0), SharedBlockError.INVALID_SIZE);
    assertError(() -> SharedBlock.create(dir.resolve("n"), -1), SharedBlockError.INVALID_SIZE);
    assertError(
        () -> SharedBlock.create(dir.resolve("big"), SharedBlockDescriptor.MAX_DATA_SIZE + 1),
        SharedBlockError.INVALID_SIZE);
    assertThat(dir.resolve("z")).doesNotExist();
  }

  @Test
  void createReportsAnUnwritableParentAsIoError() throws IOException {
    Path notADirectory = dir.resolve("file");
    Files.write(notADirectory, new byte[1]);
    assertError(
        () -> SharedBlock.create(notADirectory.resolve("block"), 8), SharedBlockError.IO_ERROR);
  }

  @Test
  void openNeverChangesTheFile() throws IOException {
    Path file = dir.resolve("block");
    try (SharedBlock block = SharedBlock.create(file, 32)) {
      WriteLease lease = block.acquireWrite(1, 10_000);
      block.write(lease, 0, hex("cafe"), 0, 2);
      block.release(lease);
    }
    byte[] before = Files.readAllBytes(file);
    SharedBlock.open(file, BlockAccess.READ_WRITE).close();
    SharedBlock.open(file, BlockAccess.READ_ONLY).close();
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void openRefusesAMissingFile() {
    assertError(
        () -> SharedBlock.open(dir.resolve("missing"), BlockAccess.READ_ONLY),
        SharedBlockError.NOT_FOUND);
  }

  @Test
  void openRefusesAForeignFile() throws IOException {
    Path file = dir.resolve("foreign");
    Files.write(file, "not a block at all, just text\n".repeat(20).getBytes());
    assertOpenError(file, SharedBlockError.NOT_A_BLOCK);
  }

  @Test
  void openRefusesFilesShorterThanTheHeader() throws IOException {
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    assertOpenError(empty, SharedBlockError.TRUNCATED);
    Path halfHeader = dir.resolve("half");
    Files.write(halfHeader, Arrays.copyOf(hex(FRESH_HEADER_64), 100));
    assertOpenError(halfHeader, SharedBlockError.TRUNCATED);
  }

  @Test
  void openRefusesAFileShorterThanItsDeclaredSize() throws IOException {
    Path file = blockFile(64);
    truncate(file, 256 + 63);
    assertOpenError(file, SharedBlockError.TRUNCATED);
  }

  @Test
  void openRefusesAFileLongerThanItsDeclaredSize() throws IOException {
    Path file = blockFile(64);
    Files.write(file, new byte[1], java.nio.file.StandardOpenOption.APPEND);
    assertOpenError(file, SharedBlockError.LENGTH_MISMATCH);
  }

  @Test
  void openRefusesAnotherFormatVersion() throws IOException {
    Path file = blockFile(64);
    patch(file, SharedBlockDescriptor.FORMAT_VERSION_OFFSET, hex("02000000"));
    assertOpenError(file, SharedBlockError.UNSUPPORTED_VERSION);
  }

  @Test
  void openRefusesAHeaderFailingItsChecksum() throws IOException {
    Path file = blockFile(64);
    patch(file, SharedBlockDescriptor.DATA_SIZE_OFFSET, hex("3f"));
    assertOpenError(file, SharedBlockError.CORRUPT_HEADER);
  }

  @Test
  void openRefusesImpossibleIdentityFieldsEvenWithAValidChecksum() throws IOException {
    Path file = blockFile(64);
    byte[] identity = Arrays.copyOf(hex(FRESH_HEADER_64), 28);
    ByteBuffer header = ByteBuffer.wrap(identity).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(SharedBlockDescriptor.HEADER_LENGTH_OFFSET, 128);
    CRC32C crc = new CRC32C();
    crc.update(identity, 0, SharedBlockDescriptor.IDENTITY_LENGTH);
    header.putInt(SharedBlockDescriptor.IDENTITY_CHECKSUM_OFFSET, (int) crc.getValue());
    patch(file, 0, identity);
    assertOpenError(file, SharedBlockError.CORRUPT_HEADER);
  }

  @Test
  void bigEndianPlatformIsRefused() {
    assertError(
        () -> BlockHeader.checkNativeOrder(ByteOrder.BIG_ENDIAN),
        SharedBlockError.UNSUPPORTED_PLATFORM);
    BlockHeader.checkNativeOrder(ByteOrder.LITTLE_ENDIAN);
  }

  private Path blockFile(int size) {
    Path file = dir.resolve("block");
    SharedBlock.create(file, size).close();
    return file;
  }

  private static void truncate(Path file, long length) throws IOException {
    try (var channel =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
  }

  private static void patch(Path file, int offset, byte[] bytes) throws IOException {
    byte[] contents = Files.readAllBytes(file);
    System.arraycopy(bytes, 0, contents, offset, bytes.length);
    Files.write(file, contents);
  }

  private static void assertOpenError(Path file, SharedBlockError expected) {
    assertError(() -> SharedBlock.open(file, BlockAccess.READ_ONLY), expected);
    assertError(() -> SharedBlock.open(file, BlockAccess.READ_WRITE), expected);
  }

  static void assertError(ThrowingCallable call, SharedBlockError expected) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SharedBlockException.class, e -> assertThat(e.error()).isEqualTo(expected));
  }
}
