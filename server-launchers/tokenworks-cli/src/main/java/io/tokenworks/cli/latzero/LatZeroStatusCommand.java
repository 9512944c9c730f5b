package io.tokenworks.cli.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tokenworks latzero status}: finds the server of a data directory, asks it for {@code
 * server_status} as the loopback admin and prints it. Exit 0 when it runs, 3 when it does not
 * (stale files of a server that died included), 1 when it cannot tell (unreadable files, a server
 * that does not answer or refuses the token).
 */
@Command(
    name = "status",
    description = {
      "Show whether the LatZero server of a data directory runs, and its status.",
      "Exit 0 running, 3 not running, 1 on errors."
    })
final class LatZeroStatusCommand extends LocalServerCommand {

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "how long to wait for the server's answer (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  LatZeroStatusCommand(Map<String, String> environment) {
    super(environment);
  }

  @Override
  int run(Path dataDirectory, Path tlsCertificate) {
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
    ObjectNode status;
    try (LatZeroClient admin =
        admin(dataDirectory, server, tlsCertificate, Duration.ofSeconds(timeoutSeconds))) {
      status = admin.serverStatus();
    } catch (LatZeroClientException e) {
      throw failure(server, e);
    }
    print(out(), server, status);
    return EXIT_OK;
  }

  /** The status as aligned lines: the server, then each fabric counter. */
  static void print(PrintWriter out, ServerState.Running server, ObjectNode status) {
    out.printf(
        "latzero: running, pid %d, %s:%d%s, metrics %s%n",
        server.pid(),
        server.host(),
        server.port(),
        server.tls() ? " (TLS)" : "",
        server.metricsPort() == 0
            ? "off"
            : "http://" + server.host() + ":" + server.metricsPort() + "/metrics");
    line(
        out,
        "version",
        status.path("server_version").asText("?")
            + " (protocol "
            + status.path("protocol_version").asText("?")
            + ")");
    long uptimeMs = status.path("uptime_ms").asLong(-1);
    if (uptimeMs >= 0) {
      line(
          out,
          "up",
          uptime(uptimeMs)
              + " (since "
              + Instant.ofEpochMilli(status.path("started").asLong())
              + ")");
    }
    line(out, "data dir", status.path("data_dir").asText("?"));
    line(out, "connections", status.path("connections").asText("?"));
    JsonNode fabric = status.path("fabric");
    for (Iterator<Map.Entry<String, JsonNode>> fields = fabric.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      line(out, field.getKey().replace('_', ' '), field.getValue().asText());
    }
    out.flush();
  }

  private static void line(PrintWriter out, String name, String value) {
    out.printf("  %-24s %s%n", name, value);
  }

  /** {@code 3d 04h 05m 06s}, leading zero units left out. */
  static String uptime(long millis) {
    Duration up = Duration.ofMillis(millis);
    if (up.toDays() > 0) {
      return String.format(
          "%dd %02dh %02dm %02ds",
          up.toDays(), up.toHoursPart(), up.toMinutesPart(), up.toSecondsPart());
    }
    if (up.toHours() > 0) {
      return String.format("%dh %02dm %02ds", up.toHours(), up.toMinutesPart(), up.toSecondsPart());
    }
    if (up.toMinutes() > 0) {
      return String.format("%dm %02ds", up.toMinutes(), up.toSecondsPart());
    }
    return String.format("%d.%03ds", up.toSeconds(), up.toMillisPart());
  }
}
