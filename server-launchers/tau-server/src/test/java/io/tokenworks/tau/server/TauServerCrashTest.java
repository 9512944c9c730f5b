package io.tokenworks.tau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauPoint;
import io.tokenworks.protocol.tau.TauStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random workload against an in-memory model, through a real server process that is killed
 * with SIGKILL mid-write and restarted (once with a torn WAL tail added): every acknowledged point
 * is back with its exact value, nothing unacknowledged but the one append in flight may appear, and
 * the model still matches.
 */
class TauServerCrashTest {

  private static final long SEED = Long.getLong("tau.crash.seed", System.nanoTime());

  @TempDir Path dataDirectory;

  private final Random random = new Random(SEED);
  private final Map<TauLabel, TreeMap<Long, Double>> model = new HashMap<>();

  @Test
  void acknowledgedWritesSurviveKillNineAndATornTail() throws Exception {
    System.out.println(
        "TauServerCrashTest seed=" + SEED + " (rerun with -Dtau.crash.seed=" + SEED + ")");
    for (int round = 0; round < 3; round++) {
      try (TauServerProcess server = TauServerProcess.start(dataDirectory)) {
        try (TauClient client =
            TauClient.connect("127.0.0.1", server.port(), TauTestServer.CERTIFICATE)) {
          assertMatchesModel(client);
          randomOperations(client, 300);
          assertMatchesModel(client);
        }
        killDuringAppends(server, TauLabel.of("crash-" + round));
      }
      if (round == 1) {
        tearTheWalTail();
      }
    }
    try (TauServerProcess server = TauServerProcess.start(dataDirectory);
        TauClient client =
            TauClient.connect("127.0.0.1", server.port(), TauTestServer.CERTIFICATE)) {
      assertMatchesModel(client);
    }
  }

  /**
   * Appends from a second connection until the server dies under it, then checks what came back.
   */
  private void killDuringAppends(TauServerProcess server, TauLabel series) throws Exception {
    AtomicLong acknowledged = new AtomicLong(-1);
    AtomicLong inFlight = new AtomicLong(-1);
    Thread appender =
        new Thread(
            () -> {
              try (TauClient client =
                  TauClient.connect("127.0.0.1", server.port(), TauTestServer.CERTIFICATE)) {
                client.createSeries(series);
                for (long t = 0; ; t++) {
                  inFlight.set(t);
                  client.append(series, t, valueFor(t));
                  acknowledged.set(t);
                }
              } catch (TauClientException e) {
                // The server died mid-append, as intended.
              }
            });
    appender.start();
    long target = 200 + random.nextInt(2000);
    while (acknowledged.get() < target && appender.isAlive()) {
      Thread.onSpinWait();
    }
    server.kill9();
    appender.join(30_000);
    long lastAcknowledged = acknowledged.get();
    assertThat(lastAcknowledged)
        .as("appends acknowledged before the kill")
        .isGreaterThanOrEqualTo(target);

    try (TauServerProcess restarted = TauServerProcess.start(dataDirectory);
        TauClient client =
            TauClient.connect("127.0.0.1", restarted.port(), TauTestServer.CERTIFICATE)) {
      List<TauPoint> points = client.queryRangeAll(series, Long.MIN_VALUE, Long.MAX_VALUE, 10_000);
      assertThat(points.size())
          .as(
              "points after restart (acknowledged up to t=%d, in flight t=%d)",
              lastAcknowledged, inFlight.get())
          .isBetween((int) lastAcknowledged + 1, (int) lastAcknowledged + 2);
      for (int i = 0; i < points.size(); i++) {
        assertThat(points.get(i)).isEqualTo(new TauPoint(i, valueFor(i)));
      }
      TreeMap<Long, Double> expected = new TreeMap<>();
      points.forEach(p -> expected.put(p.timestamp(), p.value()));
      model.put(series, expected);
    }
  }

  private static double valueFor(long t) {
    return t * 0.25 - 17;
  }

  private void randomOperations(TauClient client, int count) {
    List<TauLabel> labels = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      labels.add(TauLabel.of("series-" + i));
    }
    for (int i = 0; i < count; i++) {
      TauLabel label = labels.get(random.nextInt(labels.size()));
      TreeMap<Long, Double> points = model.get(label);
      int choice = random.nextInt(100);
      if (choice < 5) {
        expect(
            points == null ? null : TauStatus.SERIES_ALREADY_EXISTS,
            () -> client.createSeries(label));
        model.putIfAbsent(label, new TreeMap<>());
      } else if (choice < 7) {
        expect(points == null ? TauStatus.SERIES_NOT_FOUND : null, () -> client.dropSeries(label));
        model.remove(label);
      } else if (choice < 80) {
        boolean empty = points == null || points.isEmpty();
        long last = empty ? 0 : points.lastKey();
        long t =
            random.nextInt(10) == 0 ? last - random.nextInt(3) : last + 1 + random.nextInt(1000);
        double value = random.nextInt(20) == 0 ? Double.NaN : random.nextGaussian() * 100;
        TauStatus expected =
            points == null
                ? TauStatus.SERIES_NOT_FOUND
                : !empty && t <= last ? TauStatus.OUT_OF_ORDER : null;
        expect(expected, () -> client.append(label, t, value));
        if (expected == null) {
          points.put(t, value);
        }
      } else {
        long t =
            points == null || points.isEmpty() || random.nextBoolean()
                ? random.nextInt(100_000)
                : points.keySet().stream()
                    .skip(random.nextInt(points.size()))
                    .findFirst()
                    .orElseThrow();
        if (points == null) {
          expect(TauStatus.SERIES_NOT_FOUND, () -> client.queryPoint(label, t));
        } else {
          OptionalDouble value = client.queryPoint(label, t);
          Double expectedValue = points.get(t);
          assertThat(value.isPresent()).isEqualTo(expectedValue != null);
          if (expectedValue != null) {
            assertThat(Double.doubleToRawLongBits(value.getAsDouble()))
                .isEqualTo(Double.doubleToRawLongBits(expectedValue));
          }
        }
      }
    }
  }

  private void assertMatchesModel(TauClient client) {
    assertThat(client.listSeries()).containsExactlyInAnyOrderElementsOf(model.keySet());
    for (Map.Entry<TauLabel, TreeMap<Long, Double>> entry : model.entrySet()) {
      List<TauPoint> points =
          client.queryRangeAll(entry.getKey(), Long.MIN_VALUE, Long.MAX_VALUE, 1000);
      List<TauPoint> expected = new ArrayList<>();
      entry.getValue().forEach((t, v) -> expected.add(new TauPoint(t, v)));
      assertThat(points).as("series %s", entry.getKey()).isEqualTo(expected);
    }
  }

  private static void expect(TauStatus status, Runnable call) {
    try {
      call.run();
    } catch (TauClientException e) {
      if (status == null || e.status() != status) {
        fail("expected " + status + " but the server answered " + e.status(), e);
      }
      return;
    }
    if (status != null) {
      fail("expected " + status + " but the request succeeded");
    }
  }

  private void tearTheWalTail() throws IOException {
    Path wal = dataDirectory.resolve("wal");
    Path last;
    try (Stream<Path> files = Files.list(wal)) {
      last =
          files
              .filter(f -> f.toString().endsWith(".log"))
              .sorted()
              .reduce((a, b) -> b)
              .orElseThrow();
    }
    byte[] garbage = new byte[1 + random.nextInt(40)];
    random.nextBytes(garbage);
    garbage[0] = 60; // a plausible record length, then not enough bytes and a wrong CRC
    Files.write(last, garbage, StandardOpenOption.APPEND);
  }
}
