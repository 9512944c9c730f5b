package io.tokenworks.cli.latzero;

import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tokenworks latzero stop}: finds the server of a data directory, sends it {@code shutdown}
 * as the loopback admin and waits until it has stopped: its process has exited, or (a server
 * embedded in a process that runs other servers too, like {@code tokenworks up}) it has removed its
 * files and the process keeps running without it. Exit 0 once stopped, 3 when no server runs, 1
 * when it cannot be asked or does not stop within {@code --timeout}.
 */
@Command(
    name = "stop",
    description = {
      "Stop the LatZero server of a data directory and wait until it has stopped.",
      "Exit 0 stopped, 3 not running, 1 on errors."
    })
final class LatZeroStopCommand extends LocalServerCommand {

  /** How long a process that has closed its server gets to exit before it counts as a host. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private static final long POLL_MILLIS = 20;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "how long to wait for the server to stop (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  LatZeroStopCommand(Map<String, String> environment) {
    super(environment);
  }

  @Override
  int run(Path dataDirectory, Path tlsCertificate) throws InterruptedException {
    if (timeoutSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--timeout=" + timeoutSeconds + " must be at least 1");
    }
    ServerState state = ServerState.of(dataDirectory);
    if (state instanceof ServerState.Stopped stopped) {
      out().println("latzero: not running: " + stopped.reason());
      return EXIT_NOT_RUNNING;
    }
    ServerState.Running server = (ServerState.Running) state;
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (LatZeroClient admin = admin(dataDirectory, server, tlsCertificate, timeout)) {
      out()
          .printf(
              "latzero: stopping pid %d (%s:%d) ...%n", server.pid(), server.host(), server.port());
      out().flush();
      admin.shutdownServer();
    } catch (LatZeroClientException e) {
      // The server may close before its acknowledgement arrives: whether it stops tells.
      if (!LatZeroClientException.CONNECTION_CLOSED.equals(e.code())
          && !"SERVICE_UNAVAILABLE".equals(e.code())) {
        throw failure(server, e);
      }
    }
    return await(dataDirectory, server, deadline);
  }

  private int await(Path dataDirectory, ServerState.Running server, long deadline)
      throws InterruptedException {
    while (deadline - System.nanoTime() > 0) {
      if (!ServerState.isAlive(server.pid())) {
        return stopped(server);
      }
      if (!ServerState.filesNamePid(dataDirectory, server.pid())) {
        return closed(server);
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new LatZeroCliException(
        "asked pid "
            + server.pid()
            + " to stop, but its server still runs after "
            + timeoutSeconds
            + " s (give it longer with --timeout, or look at its log)");
  }

  /** The server has removed its files: its process exits now, unless it hosts other servers. */
  private int closed(ServerState.Running server) throws InterruptedException {
    ProcessHandle process = ProcessHandle.of(server.pid()).orElse(null);
    // A process cannot wait for its own exit (an embedded server stopped from inside, e.g. a test).
    if (process != null && process.pid() != ProcessHandle.current().pid()) {
      try {
        process.onExit().get(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Still alive: it hosts more than this server.
      }
    }
    if (ServerState.isAlive(server.pid())) {
      out()
          .printf(
              "latzero: stopped (pid %d keeps running without it: the server was embedded)%n",
              server.pid());
      out().flush();
      return EXIT_OK;
    }
    return stopped(server);
  }

  private int stopped(ServerState.Running server) {
    out().printf("latzero: stopped (pid %d has exited)%n", server.pid());
    out().flush();
    return EXIT_OK;
  }
}
