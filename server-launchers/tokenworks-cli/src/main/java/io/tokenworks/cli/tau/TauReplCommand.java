package io.tokenworks.cli.tau;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenworks tau repl}: the interactive Tau client. */
@Command(
    name = "repl",
    mixinStandardHelpOptions = true,
    description = "Interactive Tau client with upstream's commands; type help inside.")
public final class TauReplCommand implements Callable<Integer> {

  /** Upstream's compiled-in development certificate: bytes 0x00..0x1F. */
  public static final String DEVELOPMENT_CERTIFICATE =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  @Spec CommandSpec spec;

  @Option(
      names = "--certificate",
      defaultValue = DEVELOPMENT_CERTIFICATE,
      description = "Certificate sent by connect, as 64 hex digits (default: the development one).")
  String certificate;

  @Override
  public Integer call() {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = spec.commandLine().getOut();
    new TauRepl(in, out, parseCertificate(certificate)).run();
    return 0;
  }

  /** The 32 bytes of a 64-hex-digit certificate, or a clear error. */
  static byte[] parseCertificate(String hex) {
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new TauReplCommand()),
          "--certificate must be 64 hex digits: " + e.getMessage());
    }
    if (bytes.length != 32) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new TauReplCommand()),
          "--certificate must be 64 hex digits (32 bytes), got " + hex.length() + " digits");
    }
    return bytes;
  }
}
