package io.tokenworks.latzero.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backup files in {@code <dataDir>/backups}: {@code backup_<UTC timestamp>.db}, or {@code
 * backup_<timestamp>-<n>.db} when a backup with that timestamp exists already. The timestamp sorts
 * chronologically as text and has no colons, so the names are valid on every file system. Only
 * files matching this pattern are ever rotated away.
 */
final class Backups {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern NAME =
      Pattern.compile("backup_(\\d{8}T\\d{9}Z)(?:-(\\d{1,9}))?\\.db");
  private static final String PARTIAL_SUFFIX = ".partial";

  private Backups() {}

  /**
   * Writes a consistent copy of the open database with {@code VACUUM INTO} (which needs no lock on
   * writers beyond its own read transaction), first under a temporary name so a crash never leaves
   * a half-written file that looks like a backup, then keeps only the newest {@code keep}.
   */
  static Path take(Connection connection, Path directory, Instant now, int keep)
      throws IOException, SQLException {
    Files.createDirectories(directory);
    deletePartials(directory);
    Path target = freeName(directory, STAMP.format(now));
    Path partial = directory.resolve(target.getFileName() + PARTIAL_SUFFIX);
    try (Statement statement = connection.createStatement()) {
      statement.execute("VACUUM INTO '" + partial.toString().replace("'", "''") + "'");
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    rotate(directory, keep);
    return target;
  }

  /** The backups in {@code directory}, oldest first. */
  static List<Path> list(Path directory) throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "backup_*.db")) {
      for (Path file : files) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          int sequence = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
          entries.add(new Entry(file, matcher.group(1), sequence));
        }
      }
    }
    entries.sort(Comparator.comparing(Entry::stamp).thenComparingInt(Entry::sequence));
    List<Path> paths = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      paths.add(entry.file());
    }
    return paths;
  }

  static void rotate(Path directory, int keep) throws IOException {
    List<Path> backups = list(directory);
    for (int i = 0; i < backups.size() - keep; i++) {
      Files.deleteIfExists(backups.get(i));
    }
  }

  /**
   * The name for a backup taken at {@code stamp}: after the highest sequence already used for that
   * stamp, never a gap that rotation left, so names keep sorting in the order they were taken.
   */
  private static Path freeName(Path directory, String stamp) throws IOException {
    int highest = -1;
    for (Path existing : list(directory)) {
      Matcher matcher = NAME.matcher(existing.getFileName().toString());
      if (matcher.matches() && matcher.group(1).equals(stamp)) {
        highest =
            Math.max(highest, matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2)));
      }
    }
    return directory.resolve("backup_" + stamp + (highest < 0 ? "" : "-" + (highest + 1)) + ".db");
  }

  private static void deletePartials(Path directory) throws IOException {
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(directory, "backup_*" + PARTIAL_SUFFIX)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private record Entry(Path file, String stamp, int sequence) {}
}
