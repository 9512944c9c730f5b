package io.tokenworks.cli.tau;

import io.tokenworks.protocol.tau.TauAggregate;
import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauPoint;
import io.tokenworks.protocol.tau.TauRangePage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The Tau REPL: upstream's commands (same names and aliases) plus the extension queries. Unlike
 * upstream, a failed command prints the server's real status name ({@code append failed:
 * out_of_order}).
 */
public final class TauRepl {

  static final List<String> TRANSFORMS =
      List.of(
          "identity",
          "celsius_to_fahrenheit",
          "fahrenheit_to_celsius",
          "celsius_to_kelvin",
          "kelvin_to_celsius",
          "meters_to_feet",
          "feet_to_meters",
          "returns",
          "log_return");

  private static final String HELP =
      String.join(
          "\n",
          "connect [host] [port]          connect and authenticate (default 127.0.0.1 7701)",
          "disconnect                     close the connection",
          "ping                           round trip",
          "create_series|create L         create series L",
          "drop_series|drop L             drop series L",
          "append_point|append L ts val   append a point",
          "query_point|query L ts         value at exactly ts",
          "latest L [as_of]               last point (at or before as_of)",
          "range L from to [limit]        points from..to, inclusive",
          "aggregate L from to            count min max sum mean",
          "list_series                    every series",
          "create_lens L src transform    lens L = transform(src)",
          "drop_lens L                    drop lens L",
          "query_lens L ts                lens value at ts",
          "compose_lens new l1 l2         new = l2 ∘ l1",
          "list_lenses                    every lens",
          "transforms                     transform names",
          "help                           this list",
          "quit|exit                      leave");

  private final BufferedReader in;
  private final PrintWriter out;
  private final byte[] certificate;
  private TauClient client;

  public TauRepl(BufferedReader in, PrintWriter out, byte[] certificate) {
    this.in = in;
    this.out = out;
    this.certificate = certificate.clone();
  }

  /** Reads commands until end of input or {@code quit}. */
  public void run() {
    try {
      while (true) {
        out.print("tau> ");
        out.flush();
        String line = in.readLine();
        if (line == null || !execute(line.trim())) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      closeClient();
      out.flush();
    }
  }

  /** Runs one command line; false when the REPL should end. */
  boolean execute(String line) {
    if (line.isEmpty()) {
      return true;
    }
    String[] words = line.split("\\s+");
    String command = words[0].toLowerCase(Locale.ROOT);
    try {
      switch (command) {
        case "quit", "exit" -> {
          return false;
        }
        case "help" -> out.println(HELP);
        case "transforms" -> TRANSFORMS.forEach(out::println);
        case "connect" -> connect(words);
        case "disconnect" -> {
          closeClient();
          out.println("ok");
        }
        default -> dispatch(command, words);
      }
    } catch (TauClientException e) {
      out.println(command + " failed: " + describe(e));
      if (!e.isErrorReply()) {
        closeClient();
      }
    } catch (NumberFormatException e) {
      out.println(command + " failed: not a number: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      out.println(command + " failed: " + e.getMessage());
    }
    out.flush();
    return true;
  }

  private void dispatch(String command, String[] words) {
    if (client == null) {
      out.println(command + " failed: not connected (use connect)");
      return;
    }
    switch (command) {
      case "ping" -> {
        need(words, 1, "ping");
        client.ping();
        out.println("pong");
      }
      case "create_series", "create" -> {
        need(words, 2, "create L");
        client.createSeries(label(words[1]));
        out.println("ok");
      }
      case "drop_series", "drop" -> {
        need(words, 2, "drop L");
        client.dropSeries(label(words[1]));
        out.println("ok");
      }
      case "append_point", "append" -> {
        need(words, 4, "append L ts val");
        client.append(label(words[1]), Long.parseLong(words[2]), Double.parseDouble(words[3]));
        out.println("ok");
      }
      case "query_point", "query" -> {
        need(words, 3, "query L ts");
        printValue(client.queryPoint(label(words[1]), Long.parseLong(words[2])));
      }
      case "latest" -> {
        long asOf = words.length > 2 ? Long.parseLong(words[2]) : Long.MAX_VALUE;
        need(words, words.length > 2 ? 3 : 2, "latest L [as_of]");
        client.queryLatest(label(words[1]), asOf).ifPresentOrElse(this::printPoint, this::notFound);
      }
      case "range" -> range(words);
      case "aggregate" -> {
        need(words, 4, "aggregate L from to");
        TauAggregate a =
            client.aggregate(label(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3]));
        out.printf(
            "count=%d min=%s max=%s sum=%s mean=%s%n",
            a.count(), a.min(), a.max(), a.sum(), a.mean());
      }
      case "list_series" -> client.listSeries().forEach(l -> out.println(l.name()));
      case "create_lens" -> {
        need(words, 4, "create_lens L src transform");
        client.createLens(label(words[1]), label(words[2]), words[3]);
        out.println("ok");
      }
      case "drop_lens" -> {
        need(words, 2, "drop_lens L");
        client.dropLens(label(words[1]));
        out.println("ok");
      }
      case "query_lens" -> {
        need(words, 3, "query_lens L ts");
        printValue(client.queryLens(label(words[1]), Long.parseLong(words[2])));
      }
      case "compose_lens" -> {
        need(words, 4, "compose_lens new l1 l2");
        client.composeLens(label(words[1]), label(words[2]), label(words[3]));
        out.println("ok");
      }
      case "list_lenses" -> client.listLenses().forEach(l -> out.println(l.name()));
      default -> out.println("unknown command: " + command + " (try help)");
    }
  }

  private void range(String[] words) {
    if (words.length != 4 && words.length != 5) {
      throw new IllegalArgumentException("usage: range L from to [limit]");
    }
    long limit = words.length == 5 ? Long.parseLong(words[4]) : 1000;
    TauRangePage page =
        client.queryRange(
            label(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3]), limit);
    page.points().forEach(this::printPoint);
    if (page.hasMore()) {
      out.println("(more: continue from the last timestamp + 1)");
    }
  }

  private void connect(String[] words) {
    String host = words.length > 1 ? words[1] : "127.0.0.1";
    int port = words.length > 2 ? Integer.parseInt(words[2]) : 7701;
    closeClient();
    client = TauClient.connect(host, port, certificate);
    out.println("ok");
  }

  private void printValue(OptionalDouble value) {
    if (value.isPresent()) {
      out.println("value: " + value.getAsDouble());
    } else {
      notFound();
    }
  }

  private void printPoint(TauPoint point) {
    out.println(point.timestamp() + " " + point.value());
  }

  private void notFound() {
    out.println("not found");
  }

  private static TauLabel label(String name) {
    return TauLabel.of(name);
  }

  private static void need(String[] words, int count, String usage) {
    if (words.length != count) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }

  private static String describe(TauClientException e) {
    if (e.status() != null) {
      return e.status().wireName();
    }
    return e.getMessage();
  }

  private void closeClient() {
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // The connection is going away either way.
      }
      client = null;
    }
  }
}
