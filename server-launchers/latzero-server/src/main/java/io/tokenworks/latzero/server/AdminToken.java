package io.tokenworks.latzero.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin token of one server run: 32 random bytes as 64 hex characters, written to {@code
 * <data-dir>/admin.token} readable by the owner only (where the file system has POSIX permissions)
 * and replaced at every start. A client that can read the file is the server's user on this host;
 * presenting the token in a handshake from this host as {@link LatZeroServer#ADMIN_APP_ID} makes it
 * a fabric admin ({@code server_status}, {@code shutdown}).
 */
final class AdminToken {

  /** The token file's name inside the data directory. */
  static final String FILE_NAME = "admin.token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final byte[] token;

  private AdminToken(Path file, byte[] token) {
    this.file = file;
    this.token = token;
  }

  /**
   * A fresh token written to {@code <dataDirectory>/admin.token}, replacing an earlier one.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  static AdminToken create(Path dataDirectory) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    byte[] token = HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII);
    Path file = dataDirectory.resolve(FILE_NAME);
    try {
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.write(file, token, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write admin token " + file + ": " + e.getMessage(), e);
    }
    return new AdminToken(file, token);
  }

  Path file() {
    return file;
  }

  /** Whether {@code presented} is this token, compared in constant time. */
  boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(token, presented.trim().getBytes(StandardCharsets.US_ASCII));
  }

  /** Removes the file if it still holds this token (a newer server may have replaced it). */
  void delete() {
    try {
      if (Files.isRegularFile(file) && matches(Files.readString(file, StandardCharsets.US_ASCII))) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // Left behind: the next start replaces it, and the token is useless once this run ends.
    }
  }
}
