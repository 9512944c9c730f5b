package io.tokenworks.tau.server;

import static io.tokenworks.tau.server.TauTestServer.CERTIFICATE;
import static io.tokenworks.tau.server.TauTestServer.await;
import static io.tokenworks.tau.server.TauTestServer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session rules and framing errors over raw sockets: what closes, what goes on. */
class TauServerSessionTest {

  private static final byte[] PING = frame(b -> TauFrameEncoder.empty(b, 0, TauOpcode.PING));
  private static final byte[] CONNECT = frame(b -> TauFrameEncoder.connect(b, 0, CERTIFICATE));

  @TempDir Path dataDirectory;
  private TauTestServer tau;

  @AfterEach
  void stop() throws Exception {
    if (tau != null) {
      tau.close();
    }
  }

  private TauTestServer start() {
    tau = TauTestServer.start(dataDirectory);
    return tau;
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  @Test
  void theSeedPythonExampleConnects() throws Exception {
    TauTestServer.Raw raw = start().raw();
    raw.send(
        hex(
            "544155 01 01 00 00000020"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    TauTestServer.Reply reply = raw.read();
    assertThat(reply.opcode()).isEqualTo(TauOpcode.OK);
    assertThat(reply.payload()).isEmpty();
  }

  @Test
  void badMagicGetsErrThenClose() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    raw.send("GET / HTTP/1.1\r\n\r\n".getBytes());
    assertThat(raw.read().status()).isEqualTo(TauStatus.BAD_MAGIC);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void badVersionGetsErrThenClose() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    raw.send(hex("544155 63 03 00 00000000"));
    assertThat(raw.read().status()).isEqualTo(TauStatus.BAD_VERSION);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void unknownOpcodeGetsErrThenClose() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    raw.send(hex("544155 01 bb 00 00000000"));
    assertThat(raw.read().status()).isEqualTo(TauStatus.BAD_OPCODE);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void aPayloadAboveTheConfiguredLimitGetsErrThenCloseWithoutBeingRead() throws Exception {
    tau = TauTestServer.start(dataDirectory, b -> b.maxPayload(4096));
    TauTestServer.Raw raw = tau.authenticatedRaw();
    raw.send(hex("544155 01 21 00 00001001")); // 4097 bytes declared, none sent
    assertThat(raw.read().status()).isEqualTo(TauStatus.PAYLOAD_TOO_LARGE);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void theDefaultLimitIsOneMebibyte() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    raw.send(hex("544155 01 21 00 00100001"));
    assertThat(raw.read().status()).isEqualTo(TauStatus.PAYLOAD_TOO_LARGE);
  }

  @Test
  void aWrongLengthForTheOpcodeGetsInvalidPayloadAndTheConnectionStaysOpen() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    raw.send(hex("544155 01 20 00 00000028" + "00".repeat(40))); // APPEND with 40 bytes
    assertThat(raw.read().status()).isEqualTo(TauStatus.INVALID_PAYLOAD);
    raw.send(PING);
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.PONG);
  }

  @Test
  void aConnectWithAWrongLengthIsInvalidPayloadNotAnAuthFailure() throws Exception {
    TauTestServer.Raw raw = start().raw();
    raw.send(hex("544155 01 01 00 00000010" + "00".repeat(16)));
    assertThat(raw.read().status()).isEqualTo(TauStatus.INVALID_PAYLOAD);
    raw.send(CONNECT);
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.OK);
  }

  @Test
  void anythingBeforeConnectGetsNotAuthenticatedThenClose() throws Exception {
    TauTestServer.Raw raw = start().raw();
    raw.send(PING);
    assertThat(raw.read().status()).isEqualTo(TauStatus.NOT_AUTHENTICATED);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void aWrongLengthBeforeConnectIsStillNotAuthenticated() throws Exception {
    TauTestServer.Raw raw = start().raw();
    raw.send(hex("544155 01 10 00 00000001 00"));
    assertThat(raw.read().status()).isEqualTo(TauStatus.NOT_AUTHENTICATED);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void aWrongCertificateGetsAuthFailedThenClose() throws Exception {
    TauTestServer.Raw raw = start().raw();
    raw.send(frame(b -> TauFrameEncoder.connect(b, 0, new byte[32])));
    assertThat(raw.read().status()).isEqualTo(TauStatus.AUTH_FAILED);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void theClientReportsAuthFailed() {
    start();
    assertThatThrownBy(() -> TauClient.connect("127.0.0.1", tau.port(), new byte[32]))
        .isInstanceOfSatisfying(
            TauClientException.class, e -> assertThat(e.status()).isEqualTo(TauStatus.AUTH_FAILED));
  }

  @Test
  void aRepeatedConnectIsAnsweredOk() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    raw.send(CONNECT);
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.OK);
    raw.send(PING);
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.PONG);
  }

  @Test
  void anAddressIsLockedOutAfterTooManyFailedConnects() throws Exception {
    tau =
        TauTestServer.start(
            dataDirectory, b -> b.authAttempts(2).authLockout(Duration.ofMinutes(5)));
    for (int i = 0; i < 2; i++) {
      TauTestServer.Raw raw = tau.raw();
      raw.send(frame(b -> TauFrameEncoder.connect(b, 0, new byte[32])));
      assertThat(raw.read().status()).isEqualTo(TauStatus.AUTH_FAILED);
    }
    TauTestServer.Raw locked = tau.raw();
    locked.send(CONNECT); // the right certificate, but the address is locked out
    assertThat(locked.read().status()).isEqualTo(TauStatus.AUTH_FAILED);
    assertThat(locked.closedByServer()).isTrue();
  }

  @Test
  void replyOpcodesFromAClientAreBadOpcodesButTheConnectionStaysOpen() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    raw.send(frame(b -> TauFrameEncoder.empty(b, 0, TauOpcode.OK)));
    assertThat(raw.read().status()).isEqualTo(TauStatus.BAD_OPCODE);
    raw.send(frame(b -> TauFrameEncoder.empty(b, 0, TauOpcode.PONG)));
    assertThat(raw.read().status()).isEqualTo(TauStatus.BAD_OPCODE);
    raw.send(frame(b -> TauFrameEncoder.error(b, 0, TauStatus.BUSY)));
    assertThat(raw.read().status()).isEqualTo(TauStatus.BAD_OPCODE);
    raw.send(PING);
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.PONG);
  }

  @Test
  void disconnectGetsOkThenCloseEvenBeforeConnect() throws Exception {
    TauTestServer.Raw raw = start().raw();
    raw.send(frame(b -> TauFrameEncoder.empty(b, 0, TauOpcode.DISCONNECT)));
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.OK);
    assertThat(raw.closedByServer()).isTrue();
  }

  @Test
  void aTruncatedFrameFromAVanishedClientLeavesTheServerServing() throws Exception {
    start();
    TauTestServer.Raw raw = tau.authenticatedRaw();
    raw.send(hex("544155 01 20 00 00000030 74656d70")); // APPEND header and 4 of 48 bytes
    raw.close();
    await(() -> tau.server().activeConnections() == 0);
    TauClient client = tau.client();
    client.ping();
  }

  @Test
  void aSlowClientDribblingOneByteAtATimeIsServed() throws Exception {
    TauTestServer.Raw raw = start().authenticatedRaw();
    byte[] create =
        frame(b -> TauFrameEncoder.label(b, 0, TauOpcode.CREATE_SERIES, TauLabel.of("slow")));
    byte[] append = frame(b -> TauFrameEncoder.append(b, 0, TauLabel.of("slow"), 1, 2.5));
    byte[] both = new byte[create.length + append.length];
    System.arraycopy(create, 0, both, 0, create.length);
    System.arraycopy(append, 0, both, create.length, append.length);
    for (byte b : both) {
      raw.send(new byte[] {b});
      Thread.sleep(2);
    }
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.OK);
    assertThat(raw.read().opcode()).isEqualTo(TauOpcode.OK);
    assertThat(tau.server().engine().valueAt(io.tokenworks.tau.Label.of("slow"), 1)).hasValue(2.5);
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    tau = TauTestServer.start(dataDirectory, b -> b.idleTimeout(Duration.ofMillis(300)));
    TauTestServer.Raw raw = tau.authenticatedRaw();
    long start = System.nanoTime();
    assertThat(raw.closedByServer()).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 4_000L);
  }

  @Test
  void connectionsBeyondTheMaximumAreRefused() throws Exception {
    tau = TauTestServer.start(dataDirectory, b -> b.maxConnections(2));
    TauClient first = tau.client();
    TauClient second = tau.client();
    assertThatThrownBy(() -> TauClient.connect("127.0.0.1", tau.port(), CERTIFICATE))
        .isInstanceOf(TauClientException.class);
    first.close();
    await(() -> tau.server().activeConnections() == 1);
    tau.client().ping();
    second.ping();
  }
}
