package io.tokenworks.latzero.memory;

import java.nio.file.Path;

/**
 * Pool and block names become path segments, so they are checked before any path is built:
 * upstream's charset {@code [A-Za-z0-9._-]}, not {@code .} or {@code ..}, bounded length. Nothing
 * else can express a separator or a parent step, and the resolved path is checked to stay under the
 * root all the same.
 */
final class BlockNames {

  /** Upstream's pool name limit. */
  static final int MAX_POOL_NAME_LENGTH = 64;

  /** Upstream's app id and trigger name limit, applied to block names. */
  static final int MAX_BLOCK_NAME_LENGTH = 128;

  private BlockNames() {}

  static void checkPool(String pool) {
    check("pool", pool, MAX_POOL_NAME_LENGTH);
  }

  static void checkBlock(String block) {
    check("block", block, MAX_BLOCK_NAME_LENGTH);
  }

  /** The file of a block; both names must have been checked. */
  static Path file(Path root, String pool, String block) {
    Path file = root.resolve(pool).resolve(block).normalize();
    if (!file.startsWith(root) || file.getNameCount() != root.getNameCount() + 2) {
      throw new MemoryException(
          MemoryError.INVALID_NAME, "pool=" + pool + " block=" + block + " leaves the root");
    }
    return file;
  }

  private static void check(String what, String name, int maxLength) {
    if (name == null || name.isEmpty() || name.length() > maxLength) {
      throw invalid(what, name, "must be 1 to " + maxLength + " characters");
    }
    if (name.equals(".") || name.equals("..")) {
      throw invalid(what, name, "must not be . or ..");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!allowed) {
        throw invalid(what, name, "may hold only A-Z a-z 0-9 . _ -");
      }
    }
  }

  private static MemoryException invalid(String what, String name, String rule) {
    String shown = name == null ? "null" : name.length() > 40 ? name.substring(0, 40) + "…" : name;
    return new MemoryException(MemoryError.INVALID_NAME, what + "=" + shown + " " + rule);
  }
}
