package io.tokenworks.cli;

import java.util.List;

/**
 * The engines of the suite as the launcher presents them: what each re-implements, its default
 * ports and how far it has been built. The status strings are the README's engine table in short;
 * keep the two in step.
 */
record Engine(String name, String reimplements, String ports, String status) {

  static final List<Engine> ALL =
      List.of(
          new Engine(
              "Tau", "taudb/tau temporal database", "7701 data, 7702 metrics", "server and engine"),
          new Engine(
              "TKN",
              "coffee-fueled-dev/tkn pattern miner",
              "8080 data, 4000 metrics",
              "server and miner"),
          new Engine(
              "LatZero",
              "Latency-Zero process fabric",
              "45227 data, 45228 metrics",
              "server and fabric"),
          new Engine("Tokenly", "ComputClaw/tokenly token-usage ingest", "7071 HTTP", "planned"),
          new Engine("TokenStream", "TokenStream event mesh", "9100 metrics", "planned"));
}
