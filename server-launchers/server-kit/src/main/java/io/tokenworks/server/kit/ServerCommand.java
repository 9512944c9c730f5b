package io.tokenworks.server.kit;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The life of a server command ({@code tokenworks tau}, {@code tokenworks tkn}, ...): resolve the
 * settings and print each with where it came from, start the server, run until stopped (Ctrl-C or
 * {@link #stop()}). A bad setting prints one line and gives {@link #EXIT_CONFIG}; a server that
 * cannot start prints one line and gives {@link #EXIT_START}. {@link #start()} alone starts without
 * waiting, so one process can run several servers ({@code tokenworks up}).
 */
public abstract class ServerCommand implements Callable<Integer> {

  /** Exit code for a bad option, environment variable or config file. */
  public static final int EXIT_CONFIG = 2;

  /** Exit code for a server that could not start (port in use, refused certificate, ...). */
  public static final int EXIT_START = 1;

  @Spec protected CommandSpec spec;

  private final String name;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** {@code name} prefixes every line the command prints, e.g. {@code tau}. */
  protected ServerCommand(String name) {
    this.name = name;
  }

  @Override
  public final Integer call() throws InterruptedException {
    int started = start();
    if (started != 0) {
      return started;
    }
    Thread hook = new Thread(this::stop, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running.
    }
    return 0;
  }

  /**
   * Resolves the settings, prints them and starts the server without waiting for it to stop.
   *
   * @return 0 when the server runs, else {@link #EXIT_CONFIG} or {@link #EXIT_START}
   */
  public final int start() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Config resolved = resolve();
      configure(resolved);
      out.println(name + ": effective settings");
      for (String line : resolved.describe()) {
        out.println("  " + line);
      }
      out.flush();
    } catch (ConfigException | IllegalArgumentException e) {
      err.println(name + ": " + e.getMessage());
      err.flush();
      return EXIT_CONFIG;
    }
    try {
      out.println(startServer());
      out.flush();
    } catch (ServerStartException e) {
      String message = e.getMessage();
      err.println(message.startsWith(name) ? message : name + ": " + message);
      err.flush();
      return EXIT_START;
    }
    return 0;
  }

  /** Stops a running server and lets {@link #call()} return (the shutdown hook calls this). */
  public final void stop() {
    stopServer();
    stopped.countDown();
  }

  /** Every setting from the command line, the environment, the config file and the defaults. */
  protected abstract Config resolve();

  /**
   * Turns resolved settings into the server's configuration.
   *
   * @throws IllegalArgumentException for a combination of settings that cannot work
   */
  protected abstract void configure(Config resolved);

  /**
   * Starts the configured server.
   *
   * @return the line to print once it listens
   * @throws ServerStartException when it cannot start
   */
  protected abstract String startServer();

  /** Stops the server if it runs; must be safe to call in any state, and more than once. */
  protected abstract void stopServer();
}
