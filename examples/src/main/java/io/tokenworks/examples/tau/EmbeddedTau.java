package io.tokenworks.examples.tau;

import io.tokenworks.tau.Aggregate;
import io.tokenworks.tau.Label;
import io.tokenworks.tau.TauConfig;
import io.tokenworks.tau.TauEngine;
import io.tokenworks.tau.Transform;
import java.nio.file.Path;

/**
 * Embeds a durable Tau engine: creates a series, appends points, queries them and reads a lens. The
 * README's "Embedding Tau" snippet is the body of {@link #run}.
 *
 * <p>Run: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ... EmbeddedTau
 * <data dir>}
 */
public final class EmbeddedTau {

  private EmbeddedTau() {}

  public static void main(String[] args) {
    run(Path.of(args.length > 0 ? args[0] : "tau-example-data"));
  }

  static void run(Path dataDirectory) {
    try (TauEngine tau = TauEngine.open(TauConfig.builder(dataDirectory).build())) {
      Label temperature = Label.of("office.temperature");
      if (!tau.seriesExists(temperature)) {
        tau.createSeries(temperature).join();
      }
      long start = tau.latest(temperature).map(p -> p.timestamp() + 1).orElse(0L);
      for (int i = 0; i < 60; i++) {
        tau.append(temperature, start + i * 1_000_000_000L, 20.0 + i * 0.1)
            .join(); // durable on return
      }
      System.out.println("latest: " + tau.latest(temperature).orElseThrow());
      System.out.println(
          "as of 30 s: " + tau.asOf(temperature, start + 30_500_000_000L).orElseThrow());
      Aggregate minute = tau.aggregate(temperature, start, start + 59_000_000_000L);
      System.out.printf("last minute: count=%d mean=%.2f%n", minute.count(), minute.mean());

      Label fahrenheit = Label.of("office.temperature.f");
      if (!tau.listLenses().contains(fahrenheit)) {
        tau.createLens(fahrenheit, temperature, Transform.CELSIUS_TO_FAHRENHEIT).join();
      }
      System.out.println("in °F: " + tau.lensValueAt(fahrenheit, start).getAsDouble());
    }
  }
}
