package io.tokenworks.tau;

import static io.tokenworks.tau.TauEngineTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TauLensTest {

  private static final Label PRICE = Label.of("price");
  private static final Label TEMP = Label.of("temp");

  @TempDir Path directory;
  private TauEngine engine;

  @BeforeEach
  void open() {
    engine = TauEngine.open(TauConfig.builder(directory).chunkPoints(16).build());
    engine.createSeries(TEMP).join();
    engine.createSeries(PRICE).join();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private double lens(String name, long t) {
    return engine.lensValueAt(Label.of(name), t).orElseThrow();
  }

  @Test
  void unitConversionsMatchUpstreamFormulas() {
    engine.append(TEMP, 1, 100).join();
    for (Transform transform : Transform.values()) {
      if (!transform.needsPrevious()) {
        engine.createLens(Label.of(transform.wireName()), TEMP, transform).join();
      }
    }
    assertThat(lens("identity", 1)).isEqualTo(100);
    assertThat(lens("celsius_to_fahrenheit", 1)).isEqualTo(212);
    assertThat(lens("fahrenheit_to_celsius", 1)).isCloseTo(37.777_777, within(1e-6));
    assertThat(lens("celsius_to_kelvin", 1)).isEqualTo(373.15);
    assertThat(lens("kelvin_to_celsius", 1)).isCloseTo(-173.15, within(1e-9));
    assertThat(lens("meters_to_feet", 1)).isCloseTo(328.084, within(1e-9));
    assertThat(lens("feet_to_meters", 1)).isCloseTo(30.48, within(1e-3));
    assertThat(engine.lensValueAt(Label.of("identity"), 2)).isEmpty();
  }

  @Test
  void transformNamesAreTheWireNames() {
    assertThat(Transform.fromWireName("celsius_to_fahrenheit"))
        .isEqualTo(Transform.CELSIUS_TO_FAHRENHEIT);
    assertThat(Transform.fromWireName("log_return")).isEqualTo(Transform.LOG_RETURN);
    assertThat(Transform.fromWireName("celsius")).isNull();
  }

  @Test
  void lensesSeeLaterSourceChanges() {
    engine.createLens(Label.of("f"), TEMP, Transform.CELSIUS_TO_FAHRENHEIT).join();
    assertThat(engine.lensValueAt(Label.of("f"), 5)).isEmpty();
    engine.append(TEMP, 5, 0).join();
    assertThat(lens("f", 5)).isEqualTo(32);
  }

  @Test
  void returnsUseThePreviousPointAndHaveNoValueAtTheFirst() {
    engine.append(PRICE, 1, 100).join();
    engine.append(PRICE, 2, 110).join();
    engine.append(PRICE, 3, 99).join();
    engine.createLens(Label.of("r"), PRICE, Transform.RETURNS).join();
    engine.createLens(Label.of("lr"), PRICE, Transform.LOG_RETURN).join();
    assertThat(engine.lensValueAt(Label.of("r"), 1)).isEmpty();
    assertThat(lens("r", 2)).isCloseTo(0.1, within(1e-12));
    assertThat(lens("r", 3)).isCloseTo(-0.1, within(1e-12));
    assertThat(lens("lr", 2)).isCloseTo(Math.log(1.1), within(1e-12));
    assertThat(engine.lensValueAt(Label.of("r"), 4)).isEmpty();
  }

  @Test
  void returnsReachAcrossChunkBoundaries() {
    for (int t = 1; t <= 40; t++) {
      engine.append(PRICE, t, t).join();
    }
    engine.createLens(Label.of("r"), PRICE, Transform.RETURNS).join();
    assertThat(lens("r", 17)).isCloseTo(17.0 / 16 - 1, within(1e-12));
    assertThat(lens("r", 33)).isCloseTo(33.0 / 32 - 1, within(1e-12));
  }

  @Test
  void composeReallyComposes() {
    // Upstream kept only the second lens' transform; g∘f applies f's transform first, then g's.
    engine.append(TEMP, 1, 100).join();
    engine.createLens(Label.of("f"), TEMP, Transform.CELSIUS_TO_FAHRENHEIT).join();
    engine.createLens(Label.of("g"), PRICE, Transform.CELSIUS_TO_KELVIN).join();
    engine.composeLens(Label.of("gf"), Label.of("f"), Label.of("g")).join();
    assertThat(lens("gf", 1)).isEqualTo(212 + 273.15);
  }

  @Test
  void returnsOfAConversionComposeOverHistory() {
    engine.append(TEMP, 1, 0).join();
    engine.append(TEMP, 2, 100).join();
    engine.createLens(Label.of("f"), TEMP, Transform.CELSIUS_TO_FAHRENHEIT).join();
    engine.createLens(Label.of("r"), TEMP, Transform.RETURNS).join();
    engine.composeLens(Label.of("rf"), Label.of("f"), Label.of("r")).join();
    assertThat(lens("rf", 2)).isCloseTo(212.0 / 32 - 1, within(1e-12));
    assertThat(engine.lensValueAt(Label.of("rf"), 1)).isEmpty();
  }

  @Test
  void lensErrorsAreSpecific() {
    engine.createLens(Label.of("f"), TEMP, Transform.CELSIUS_TO_FAHRENHEIT).join();
    assertThat(errorOf(engine.createLens(Label.of("f"), TEMP, Transform.IDENTITY)))
        .isEqualTo(TauError.LENS_ALREADY_EXISTS);
    assertThat(errorOf(engine.composeLens(Label.of("x"), Label.of("f"), Label.of("nope"))))
        .isEqualTo(TauError.LENS_NOT_FOUND);
    assertThat(errorOf(engine.composeLens(Label.of("x"), Label.of("nope"), Label.of("f"))))
        .isEqualTo(TauError.LENS_NOT_FOUND);
    assertThat(errorOf(engine.dropLens(Label.of("nope")))).isEqualTo(TauError.LENS_NOT_FOUND);
    assertThat(errorOf(() -> engine.lensValueAt(Label.of("nope"), 1)))
        .isEqualTo(TauError.LENS_NOT_FOUND);
  }

  @Test
  void aLensOverADroppedSeriesAnswersNotFoundUntilTheSeriesReturns() {
    engine.createLens(Label.of("f"), TEMP, Transform.CELSIUS_TO_FAHRENHEIT).join();
    engine.dropSeries(TEMP).join();
    assertThat(engine.listLenses()).containsExactly(Label.of("f"));
    assertThat(errorOf(() -> engine.lensValueAt(Label.of("f"), 1)))
        .isEqualTo(TauError.SERIES_NOT_FOUND);
    engine.createSeries(TEMP).join();
    engine.append(TEMP, 1, 0).join();
    assertThat(lens("f", 1)).isEqualTo(32);
  }

  @Test
  void lensesAreListedInCreationOrderAndSurviveARestart() {
    engine.createLens(Label.of("b"), TEMP, Transform.CELSIUS_TO_KELVIN).join();
    engine.createLens(Label.of("a"), TEMP, Transform.CELSIUS_TO_FAHRENHEIT).join();
    engine.createLens(Label.of("c"), TEMP, Transform.IDENTITY).join();
    engine.composeLens(Label.of("ab"), Label.of("a"), Label.of("b")).join();
    engine.dropLens(Label.of("c")).join();
    engine.append(TEMP, 1, 100).join();
    engine.close();
    engine = TauEngine.open(TauConfig.builder(directory).chunkPoints(16).build());
    assertThat(engine.listLenses()).containsExactly(Label.of("b"), Label.of("a"), Label.of("ab"));
    assertThat(lens("ab", 1)).isEqualTo(212 + 273.15);
  }
}
