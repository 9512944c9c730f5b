package io.tokenworks.latzero.server;

import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Servers on ephemeral ports with their data and block files under a test's directory. */
final class TestServers {

  private TestServers() {}

  static LatZeroServer start(Path dir) {
    return start(dir, settings -> {});
  }

  static LatZeroServer start(Path dir, Consumer<LatZeroServerConfig.Builder> settings) {
    LatZeroServerConfig.Builder builder =
        LatZeroServerConfig.builder()
            .port(0)
            .metricsPort(0)
            .dataDirectory(dir.resolve("data"))
            .memoryDirectory(dir.resolve("memory"))
            .ioThreads(2);
    settings.accept(builder);
    return LatZeroServer.start(builder.build());
  }

  static LatZeroClient client(LatZeroServer server, String appId) {
    return client(server, appId, LatZeroClientOptions.defaults());
  }

  static LatZeroClient client(LatZeroServer server, String appId, LatZeroClientOptions options) {
    return LatZeroClient.connect("127.0.0.1", server.port(), appId, options);
  }
}
