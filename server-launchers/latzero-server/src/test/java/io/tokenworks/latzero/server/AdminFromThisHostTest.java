package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin token counts from any peer on this host, not only loopback: a server listening on
 * another of the host's addresses is administered through that address (a connection whose two ends
 * share it), or {@code status} and {@code stop} could never reach it.
 */
class AdminFromThisHostTest {

  @Test
  void aServerOnAnotherAddressOfThisHostTakesTheTokenFromThisHost(@TempDir Path dir)
      throws Exception {
    // The first address of an interface that is up and not loopback; a host with none (a bare
    // container) runs the same check over loopback.
    String host = nonLoopbackAddress();
    try (LatZeroServer server = TestServers.start(dir, settings -> settings.host(host))) {
      String token = Files.readString(server.adminTokenFile()).trim();
      try (LatZeroClient admin =
          LatZeroClient.connect(
              host,
              server.port(),
              LatZeroServer.ADMIN_APP_ID,
              LatZeroClientOptions.builder().adminToken(token).build())) {
        assertThat(admin.serverStatus().path("connections").asInt()).isEqualTo(1);
      }
    }
  }

  private static String nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return address.getHostAddress();
        }
      }
    }
    return "127.0.0.1";
  }
}
