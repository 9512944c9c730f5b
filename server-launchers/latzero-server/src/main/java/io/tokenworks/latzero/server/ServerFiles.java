package io.tokenworks.latzero.server;

import io.tokenworks.server.kit.ServerStartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The pid file and the endpoint file of a running server (see {@link LatZeroServer}). Each is
 * written under a temporary name and moved into place, so a reader never sees half a file, and
 * removed at stop only while it still names this process.
 */
final class ServerFiles {

  private final Path pidFile;
  private final Path endpointFile;
  private final String pid;

  private ServerFiles(Path pidFile, Path endpointFile, String pid) {
    this.pidFile = pidFile;
    this.endpointFile = endpointFile;
    this.pid = pid;
  }

  static ServerFiles write(
      Path dataDirectory, String host, int port, boolean tls, int metricsPort) {
    String pid = Long.toString(ProcessHandle.current().pid());
    Path pidFile = dataDirectory.resolve(LatZeroServer.PID_FILE);
    Path endpointFile = dataDirectory.resolve(LatZeroServer.ENDPOINT_FILE);
    String endpoint =
        "# the running LatZero server; removed when it stops\n"
            + "pid="
            + pid
            + "\nhost="
            + host
            + "\nport="
            + port
            + "\ntls="
            + tls
            + "\nmetrics_port="
            + metricsPort
            + "\n";
    try {
      replace(pidFile, pid + "\n");
      replace(endpointFile, endpoint);
    } catch (IOException e) {
      throw new ServerStartException(
          "latzero: cannot write " + pidFile + " or " + endpointFile + ": " + e.getMessage(), e);
    }
    return new ServerFiles(pidFile, endpointFile, pid);
  }

  private static void replace(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  void delete() {
    deleteIfOurs(pidFile, pid + "\n", true);
    deleteIfOurs(endpointFile, "\npid=" + pid + "\n", false);
  }

  private static void deleteIfOurs(Path file, String marker, boolean whole) {
    try {
      if (!Files.isRegularFile(file)) {
        return;
      }
      String content = Files.readString(file, StandardCharsets.UTF_8);
      if (whole ? content.equals(marker) : content.contains(marker)) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // Left behind: status checks whether the pid is alive, and the next start replaces it.
    }
  }
}
