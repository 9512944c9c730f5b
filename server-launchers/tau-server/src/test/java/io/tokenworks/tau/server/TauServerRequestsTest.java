package io.tokenworks.tau.server;

import static io.tokenworks.tau.server.TauTestServer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.tau.TauAggregate;
import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauPoint;
import io.tokenworks.protocol.tau.TauRangePage;
import io.tokenworks.protocol.tau.TauStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every opcode through the real server and engine, and every engine error's status byte. */
class TauServerRequestsTest {

  private static final TauLabel TEMP = TauLabel.of("temp");

  @TempDir Path dataDirectory;
  private TauTestServer tau;
  private TauClient client;

  @BeforeEach
  void start() {
    tau = TauTestServer.start(dataDirectory);
    client = tau.client();
  }

  @AfterEach
  void stop() throws Exception {
    tau.close();
  }

  private static void assertStatus(ThrowingCallable call, TauStatus status) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            TauClientException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  @Test
  void reusedRequestsCarryNothingOfTheRequestBefore() {
    client.createSeries(TEMP);
    client.append(TEMP, 1, 22.5);
    for (int round = 0; round < 3; round++) {
      assertThat(client.queryPoint(TEMP, 1)).hasValue(22.5);
      assertThat(client.queryPoint(TEMP, 2)).isEmpty();
      assertStatus(() -> client.queryPoint(TauLabel.of("missing"), 1), TauStatus.SERIES_NOT_FOUND);
      client.ping();
      assertThat(client.queryPoint(TEMP, 3)).isEmpty();
      client.append(TEMP, 10 + round, round);
      assertThat(client.queryLatest(TEMP, Long.MAX_VALUE).get().value()).isEqualTo(round);
    }
  }

  @Test
  void pingGetsPong() {
    client.ping();
  }

  @Test
  void seriesLifecycleAppendAndPointQuery() {
    client.createSeries(TEMP);
    client.append(TEMP, 1, 22.5);
    client.append(TEMP, 2, -0.0);
    assertThat(client.queryPoint(TEMP, 1)).hasValue(22.5);
    assertThat(Double.doubleToRawLongBits(client.queryPoint(TEMP, 2).getAsDouble()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(client.queryPoint(TEMP, 3)).isEqualTo(OptionalDouble.empty());
    assertThat(client.listSeries()).containsExactly(TEMP);
    client.dropSeries(TEMP);
    assertThat(client.listSeries()).isEmpty();
    assertStatus(() -> client.queryPoint(TEMP, 1), TauStatus.SERIES_NOT_FOUND);
  }

  @Test
  void seriesErrorsMapToTheirStatusBytes() {
    assertStatus(() -> client.append(TEMP, 1, 1.0), TauStatus.SERIES_NOT_FOUND);
    assertStatus(() -> client.dropSeries(TEMP), TauStatus.SERIES_NOT_FOUND);
    client.createSeries(TEMP);
    assertStatus(() -> client.createSeries(TEMP), TauStatus.SERIES_ALREADY_EXISTS);
    client.append(TEMP, 5, 1.0);
    assertStatus(() -> client.append(TEMP, 5, 2.0), TauStatus.OUT_OF_ORDER);
    assertStatus(() -> client.append(TEMP, 4, 2.0), TauStatus.OUT_OF_ORDER);
    assertThat(client.isClosed()).isFalse();
  }

  @Test
  void appendBatchIsAllOrNothing() {
    client.createSeries(TEMP);
    client.appendBatch(TEMP, new long[] {1, 2, 3}, new double[] {1, 2, 3});
    assertStatus(
        () -> client.appendBatch(TEMP, new long[] {4, 4}, new double[] {4, 4}),
        TauStatus.OUT_OF_ORDER);
    assertThat(client.queryPoint(TEMP, 4)).isEmpty();
    assertStatus(
        () -> client.appendBatch(TEMP, new long[0], new double[0]), TauStatus.INVALID_PAYLOAD);
    assertThat(client.aggregate(TEMP, Long.MIN_VALUE, Long.MAX_VALUE).count()).isEqualTo(3);
  }

  @Test
  void latestRangeAndAggregateQueries() {
    client.createSeries(TEMP);
    long[] ts = new long[100];
    double[] values = new double[100];
    for (int i = 0; i < 100; i++) {
      ts[i] = i * 10L;
      values[i] = i;
    }
    client.appendBatch(TEMP, ts, values);
    assertThat(client.queryLatest(TEMP, Long.MAX_VALUE)).contains(new TauPoint(990, 99));
    assertThat(client.queryLatest(TEMP, 55)).contains(new TauPoint(50, 5));
    assertThat(client.queryLatest(TEMP, -1)).isEmpty();

    TauRangePage page = client.queryRange(TEMP, 100, 500, 10);
    assertThat(page.count()).isEqualTo(10);
    assertThat(page.timestamp(0)).isEqualTo(100);
    assertThat(page.hasMore()).isTrue();
    assertThat(page.nextFrom()).isEqualTo(191);
    TauRangePage exact = client.queryRange(TEMP, 100, 190, 10);
    assertThat(exact.count()).isEqualTo(10);
    assertThat(exact.hasMore()).isFalse();
    TauRangePage zero = client.queryRange(TEMP, 0, 10, 0);
    assertThat(zero.count()).isZero();
    assertThat(zero.hasMore()).isTrue();
    List<TauPoint> all = client.queryRangeAll(TEMP, Long.MIN_VALUE, Long.MAX_VALUE, 7);
    assertThat(all).hasSize(100);
    assertThat(all.get(99)).isEqualTo(new TauPoint(990, 99));

    TauAggregate aggregate = client.aggregate(TEMP, 0, 90);
    assertThat(aggregate.count()).isEqualTo(10);
    assertThat(aggregate.min()).isEqualTo(0);
    assertThat(aggregate.max()).isEqualTo(9);
    assertThat(aggregate.sum()).isEqualTo(45);
    assertThat(aggregate.mean()).isEqualTo(4.5);
    TauAggregate empty = client.aggregate(TEMP, 10_000, 20_000);
    assertThat(empty.count()).isZero();
    assertThat(empty.mean()).isNaN();
    assertStatus(() -> client.aggregate(TauLabel.of("nope"), 0, 1), TauStatus.SERIES_NOT_FOUND);
    assertStatus(() -> client.queryRange(TauLabel.of("nope"), 0, 1, 1), TauStatus.SERIES_NOT_FOUND);
    assertStatus(() -> client.queryLatest(TauLabel.of("nope"), 0), TauStatus.SERIES_NOT_FOUND);
  }

  @Test
  void aRangeLimitAboveWhatOneReplyCarriesIsCapped() {
    client.createSeries(TEMP);
    client.appendBatch(TEMP, new long[] {1, 2}, new double[] {1, 2});
    TauRangePage page = client.queryRange(TEMP, 0, 10, 0xFFFF_FFFFL);
    assertThat(page.count()).isEqualTo(2);
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void lensesTransformComposeListAndDrop() {
    client.createSeries(TEMP);
    client.append(TEMP, 1, 100.0);
    TauLabel fahrenheit = TauLabel.of("temp_f");
    TauLabel kelvin = TauLabel.of("temp_k");
    client.createLens(fahrenheit, TEMP, "celsius_to_fahrenheit");
    client.createLens(kelvin, TEMP, "celsius_to_kelvin");
    assertThat(client.queryLens(fahrenheit, 1)).hasValue(212.0);
    assertThat(client.queryLens(fahrenheit, 2)).isEmpty();

    TauLabel composed = TauLabel.of("c_to_f_to_c");
    TauLabel back = TauLabel.of("f_to_c");
    client.createLens(back, TEMP, "fahrenheit_to_celsius");
    client.composeLens(composed, fahrenheit, back);
    assertThat(client.queryLens(composed, 1).getAsDouble()).isCloseTo(100.0, within());
    assertThat(client.listLenses()).containsExactly(fahrenheit, kelvin, back, composed);

    client.dropLens(kelvin);
    assertThat(client.listLenses()).doesNotContain(kelvin);
    assertStatus(() -> client.queryLens(kelvin, 1), TauStatus.LENS_NOT_FOUND);
    assertStatus(() -> client.dropLens(kelvin), TauStatus.LENS_NOT_FOUND);
    assertStatus(
        () -> client.createLens(fahrenheit, TEMP, "identity"), TauStatus.LENS_ALREADY_EXISTS);
    assertStatus(
        () -> client.composeLens(TauLabel.of("x"), kelvin, fahrenheit), TauStatus.LENS_NOT_FOUND);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  @Test
  void anUnknownTransformIsInvalidPayload() {
    assertStatus(
        () -> client.createLens(TauLabel.of("l"), TEMP, "celsius_to_rankine"),
        TauStatus.INVALID_PAYLOAD);
  }

  @Test
  void transformNamesWithNonNulPaddingAreUnknown() throws Exception {
    byte[] name = new byte[32];
    System.arraycopy("identity".getBytes(), 0, name, 0, 8);
    java.util.Arrays.fill(name, 8, 32, (byte) 0xAA); // upstream REPL's uninitialised bytes
    TauTestServer.Raw raw = tau.authenticatedRaw();
    raw.send(
        frame(
            b ->
                TauFrameEncoder.threeLabels(
                    b, 0, TauOpcode.CREATE_LENS, TauLabel.of("l"), TEMP, TauLabel.ofRaw(name))));
    assertThat(raw.read().status()).isEqualTo(TauStatus.INVALID_PAYLOAD);
  }

  @Test
  void aLensOnAMissingSeriesAnswersSeriesNotFound() {
    client.createLens(TauLabel.of("l"), TauLabel.of("later"), "identity");
    assertStatus(() -> client.queryLens(TauLabel.of("l"), 1), TauStatus.SERIES_NOT_FOUND);
  }

  @Test
  void dataSurvivesARestartOfTheServer() throws Exception {
    client.createSeries(TEMP);
    client.appendBatch(TEMP, new long[] {1, 2, 3}, new double[] {1.5, 2.5, 3.5});
    client.createLens(TauLabel.of("f"), TEMP, "celsius_to_fahrenheit");
    tau.close();
    tau = TauTestServer.start(dataDirectory);
    client = tau.client();
    assertThat(client.queryPoint(TEMP, 2)).hasValue(2.5);
    assertThat(client.listLenses()).containsExactly(TauLabel.of("f"));
  }
}
