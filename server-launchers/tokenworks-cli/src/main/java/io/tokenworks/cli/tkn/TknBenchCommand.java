package io.tokenworks.cli.tkn;

import io.tokenworks.cli.BenchWindow;
import io.tokenworks.protocol.tkn.TknClient;
import io.tokenworks.protocol.tkn.TknClientException;
import io.tokenworks.protocol.tkn.TknFrameDescriptor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tokenworks bench tkn}: end-to-end load against a running TKN server. */
@Command(
    name = "tkn",
    mixinStandardHelpOptions = true,
    description =
        "Load a running TKN server with BATCH frames of STRING symbols and report throughput and,"
            + " in HELLO mode, frame-to-ACK latency.")
public final class TknBenchCommand implements Callable<Integer> {

  /** Exit code when the run itself failed (no connection, errors during the run). */
  public static final int EXIT_FAILED = 1;

  /** Exit code for a bad option, as picocli uses for bad input. */
  public static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Server host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--connections",
      defaultValue = "1",
      description = "Connections, each with its own client and sender (default: ${DEFAULT-VALUE}).")
  int connections;

  @Mixin BenchWindow window;

  @Option(
      names = "--batch",
      defaultValue = "1000",
      description =
          "Symbols per BATCH frame; a frame must stay within 16 MiB (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--symbol-bytes",
      defaultValue = "1",
      description =
          "UTF-8 bytes per symbol (STRING item), cut at character boundaries (default:"
              + " ${DEFAULT-VALUE}, one character per symbol).")
  int symbolBytes;

  @Option(
      names = "--mode",
      defaultValue = "hello",
      converter = ModeConverter.class,
      description =
          "hello (HELLO, credit, ACKs: throughput and latency) or compat (upstream v1:"
              + " throughput only) (default: ${DEFAULT-VALUE}).")
  TknLoadGenerator.Mode mode;

  @Option(
      names = "--text",
      paramLabel = "FILE",
      description = "Corpus to send, UTF-8 (default: generated English-like text, fixed seed).")
  Path text;

  @Option(
      names = "--tenant",
      description = "Tenant named in HELLO (default: the server's default tenant).")
  String tenant;

  @Option(
      names = "--flush",
      description =
          "At the end, send FLUSH and report how long the graph took to catch up and the tokens"
              + " written (HELLO mode).")
  boolean flush;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description =
          "Seconds to wait for credit, an ACK or FLUSHED before failing (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    TknLoadGenerator generator = new TknLoadGenerator(settings());
    if (generator.maxPayloadBytes() > TknFrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH) {
      throw usage(
          "--batch="
              + batch
              + " --symbol-bytes="
              + symbolBytes
              + " makes a frame of "
              + generator.maxPayloadBytes()
              + " bytes, above the 16 MiB limit");
    }
    spec.commandLine()
        .getOut()
        .printf(
            "tkn bench: %s:%d mode=%s connections=%d batch=%d symbol-bytes=%d duration=%ds"
                + " warmup=%ds text=%s%s%n",
            host,
            port,
            mode.name().toLowerCase(Locale.ROOT),
            connections,
            batch,
            symbolBytes,
            window.durationSeconds(),
            window.warmupSeconds(),
            text == null ? "generated" : text,
            flush ? " flush" : "");
    TknLoadGenerator.Result result;
    try {
      result = generator.run();
    } catch (TknClientException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("tkn bench: " + e.getMessage());
      return EXIT_FAILED;
    }
    spec.commandLine().getOut().println(result.describe(connections));
    return result.errors() == 0 && result.failedConnections() == 0 ? 0 : EXIT_FAILED;
  }

  private TknLoadGenerator.Settings settings() {
    window.check();
    window.requireAtLeast("--connections", connections, 1);
    requireAtLeast("--batch", batch, 1);
    requireAtLeast("--symbol-bytes", symbolBytes, 1);
    requireAtLeast("--timeout", timeoutSeconds, 1);
    window.requirePort(port);
    // Every item is at least a header and one byte: refuse before building a corpus that cannot
    // fit.
    long smallestFrame = (long) batch * (TknLoadGenerator.HEADER_BYTES + 1);
    long largestSymbol = (long) symbolBytes;
    if (Math.max(smallestFrame, largestSymbol) > TknFrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH) {
      throw usage(
          "--batch="
              + batch
              + " --symbol-bytes="
              + symbolBytes
              + " cannot fit in a frame of at most 16 MiB");
    }
    if (mode == TknLoadGenerator.Mode.COMPAT && flush) {
      throw usage("--flush needs --mode hello: compatibility mode has no FLUSH");
    }
    if (mode == TknLoadGenerator.Mode.COMPAT && tenant != null) {
      throw usage(
          "--tenant needs --mode hello: compatibility mode uses the server's default tenant");
    }
    if (tenant != null) {
      try {
        TknClient.Hello.tenant(tenant);
      } catch (IllegalArgumentException e) {
        throw usage("--tenant: " + e.getMessage());
      }
    }
    return new TknLoadGenerator.Settings(
        host,
        port,
        mode,
        tenant,
        connections,
        batch,
        symbolBytes,
        text == null ? null : readText(),
        window.duration(),
        window.warmup(),
        flush,
        Duration.ofSeconds(timeoutSeconds));
  }

  private byte[] readText() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(text);
    } catch (IOException e) {
      throw usage("--text: cannot read " + text + " (" + reason(e) + ")");
    }
    if (bytes.length == 0) {
      throw usage("--text: " + text + " is empty");
    }
    return bytes;
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private void requireAtLeast(String option, int value, int min) {
    window.requireAtLeast(option, value, min);
  }

  private ParameterException usage(String message) {
    return window.usage(message);
  }

  /** Accepts the modes in lower case, as written in the help. */
  static final class ModeConverter implements ITypeConverter<TknLoadGenerator.Mode> {
    @Override
    public TknLoadGenerator.Mode convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "hello" -> TknLoadGenerator.Mode.HELLO;
        case "compat" -> TknLoadGenerator.Mode.COMPAT;
        default ->
            throw new TypeConversionException("'" + value + "' is not a mode: use hello or compat");
      };
    }
  }
}
