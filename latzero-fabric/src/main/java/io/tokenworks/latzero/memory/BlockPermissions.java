package io.tokenworks.latzero.memory;

import java.util.List;
import java.util.Objects;

/**
 * Who may use a block: app ids allowed to read and to write, {@code "*"} meaning every app. Write
 * does not imply read: an app on the write list only may attach in write mode and write, but
 * reading needs the read list.
 */
public record BlockPermissions(List<String> read, List<String> write) {

  /** Upstream's default: every app may read and write. */
  public static final BlockPermissions EVERYONE = new BlockPermissions(List.of("*"), List.of("*"));

  /**
   * @throws MemoryException {@link MemoryError#INVALID_ARGUMENT} for a null or blank entry
   */
  public BlockPermissions {
    read = checked("read", read);
    write = checked("write", write);
  }

  public boolean mayRead(String appId) {
    return allows(read, appId);
  }

  public boolean mayWrite(String appId) {
    return allows(write, appId);
  }

  private static boolean allows(List<String> list, String appId) {
    return list.contains("*") || list.contains(appId);
  }

  private static List<String> checked(String name, List<String> list) {
    Objects.requireNonNull(list, name);
    for (String entry : list) {
      if (entry == null || entry.isBlank()) {
        throw new MemoryException(
            MemoryError.INVALID_ARGUMENT, "permissions " + name + " list holds a blank entry");
      }
    }
    return List.copyOf(list);
  }
}
