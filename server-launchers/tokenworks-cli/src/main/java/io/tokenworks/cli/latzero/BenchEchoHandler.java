package io.tokenworks.cli.latzero;

import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.io.IOException;
import java.io.InputStream;

/**
 * The handler process of {@code tokenworks bench latzero}: connects as {@code APP_ID}, joins {@code
 * POOL}, registers {@code TRIGGER} and answers every call with its payload, until its standard
 * input ends. The parent holds that pipe open for the run, so the handler also ends when the parent
 * dies (even by {@code kill -9}), never outliving it.
 *
 * <p>Arguments: {@code HOST PORT APP_ID POOL TRIGGER}. Exit 0 when the input ends, 1 when the
 * connection fails or ends first (one line on standard error).
 */
final class BenchEchoHandler {

  private BenchEchoHandler() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      System.err.println("bench handler: arguments: HOST PORT APP_ID POOL TRIGGER");
      System.exit(2);
    }
    LatZeroClient client;
    try {
      client =
          LatZeroClient.connect(
              args[0],
              Integer.parseInt(args[1]),
              args[2],
              LatZeroClientOptions.builder()
                  .pools(args[3])
                  .trigger(args[4], call -> call.payload())
                  // The echo never blocks: answering on the reader thread saves a thread hop per
                  // call that would otherwise be counted as fabric latency.
                  .handlerExecutor(Runnable::run)
                  .build());
    } catch (LatZeroClientException | IllegalArgumentException e) {
      System.err.println("bench handler " + args[2] + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    client.onServerError(
        error -> {
          System.err.println(
              "bench handler " + args[2] + ": the server closed: " + error.getMessage());
          System.exit(1);
        });
    InputStream in = System.in;
    byte[] discard = new byte[256];
    while (in.read(discard) >= 0) {
      // Nothing is sent on the pipe; it only tells that the parent is alive.
    }
    client.close();
    System.exit(0);
  }
}
