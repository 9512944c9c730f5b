package io.tokenworks.cli.latzero;

import io.tokenworks.latzero.server.LatZeroServer;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a data directory says about its LatZero server, read from the files the server writes while
 * it runs ({@code latzero.pid}, {@code latzero.endpoint}; see {@link LatZeroServer}): either a
 * {@link Running} server whose process is alive, or {@link Stopped} with the reason. Files left
 * behind by a server that died (its pid is gone) are stale: they mean stopped, and the next start
 * replaces them, so they are reported, not removed.
 */
sealed interface ServerState {

  /** The endpoint file of a server whose process is alive. */
  record Running(long pid, String host, int port, boolean tls, int metricsPort)
      implements ServerState {}

  /** No server runs on this data directory; {@code reason} says how that is known. */
  record Stopped(String reason) implements ServerState {}

  /**
   * Reads the state of {@code dataDirectory}.
   *
   * @throws LatZeroCliException when a file is unreadable or malformed, or a live process holds a
   *     pid file without an endpoint file (a server still starting, or not a LatZero data dir)
   */
  static ServerState of(Path dataDirectory) {
    Path endpointFile = dataDirectory.resolve(LatZeroServer.ENDPOINT_FILE);
    Path pidFile = dataDirectory.resolve(LatZeroServer.PID_FILE);
    if (!Files.exists(endpointFile)) {
      if (!Files.exists(pidFile)) {
        return new Stopped(
            "no server runs on data-dir="
                + dataDirectory.toAbsolutePath()
                + " (no "
                + endpointFile.getFileName()
                + ")");
      }
      long pid = pid(pidFile, read(pidFile).trim());
      if (isAlive(pid)) {
        throw new LatZeroCliException(
            pidFile
                + " names process "
                + pid
                + ", which is running, but there is no "
                + endpointFile.getFileName()
                + ": a server still starting (try again), or not a LatZero data directory");
      }
      return new Stopped(stale(pidFile, pid));
    }
    Properties endpoint = new Properties();
    try (Reader reader = new StringReader(read(endpointFile))) {
      endpoint.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new LatZeroCliException("cannot parse " + endpointFile + ": " + e.getMessage());
    }
    long pid = pid(endpointFile, required(endpointFile, endpoint, "pid"));
    if (!isAlive(pid)) {
      return new Stopped(stale(endpointFile, pid));
    }
    String host = required(endpointFile, endpoint, "host");
    int port = integer(endpointFile, endpoint, "port", 1);
    int metricsPort = integer(endpointFile, endpoint, "metrics_port", 0);
    String tls = required(endpointFile, endpoint, "tls");
    if (!tls.equals("true") && !tls.equals("false")) {
      throw malformed(endpointFile, "tls", tls);
    }
    return new Running(pid, host, port, Boolean.parseBoolean(tls), metricsPort);
  }

  /** Whether process {@code pid} runs now (on this host, as this user can see). */
  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Whether {@code dataDirectory} still holds the endpoint file of process {@code pid}. */
  static boolean filesNamePid(Path dataDirectory, long pid) {
    Path endpointFile = dataDirectory.resolve(LatZeroServer.ENDPOINT_FILE);
    try {
      Properties endpoint = new Properties();
      endpoint.load(new StringReader(Files.readString(endpointFile, StandardCharsets.UTF_8)));
      return Long.toString(pid).equals(endpoint.getProperty("pid", "").trim());
    } catch (IOException | IllegalArgumentException e) {
      // Removed (or being replaced) while reading: it no longer names this process.
      return false;
    }
  }

  /** The content of a file the server wrote, or a one-line failure naming why it is unreadable. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new LatZeroCliException(file + " does not exist: the server stopped meanwhile?");
    } catch (AccessDeniedException e) {
      throw new LatZeroCliException(
          "cannot read " + file + ": permission denied (run as the user that started the server)");
    } catch (IOException e) {
      throw new LatZeroCliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String stale(Path file, long pid) {
    return "stale "
        + file
        + ": process "
        + pid
        + " is gone (the server did not stop cleanly; the next start replaces the file)";
  }

  private static String required(Path file, Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new LatZeroCliException(file + " has no " + key + "; is it a LatZero endpoint file?");
    }
    return value.trim();
  }

  private static long pid(Path file, String value) {
    try {
      long pid = Long.parseLong(value.trim());
      if (pid > 0) {
        return pid;
      }
    } catch (NumberFormatException e) {
      // Reported below with the file's name.
    }
    throw malformed(file, "pid", value);
  }

  private static int integer(Path file, Properties properties, String key, int min) {
    String value = required(file, properties, key);
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= 65535) {
        return number;
      }
    } catch (NumberFormatException e) {
      // Reported below with the file's name.
    }
    throw malformed(file, key, value);
  }

  private static LatZeroCliException malformed(Path file, String key, String value) {
    return new LatZeroCliException(file + " has a bad " + key + "=" + value);
  }
}
