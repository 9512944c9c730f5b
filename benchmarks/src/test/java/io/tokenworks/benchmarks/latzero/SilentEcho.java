package io.tokenworks.benchmarks.latzero;

/** An echo process that starts and never answers, for the ping-pong tests; it is killed. */
public final class SilentEcho {

  private SilentEcho() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(60_000);
  }
}
