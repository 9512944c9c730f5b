package io.tokenworks.examples.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;

/**
 * Two processes on one LatZero server: a counter app that answers {@code add} calls and keeps its
 * total in a shared block, and a caller that calls it and then reads the total straight from the
 * block's memory. Run a server ({@code ./tokenworks latzero start}), then {@code TwoProcesses
 * counter} in one terminal and {@code TwoProcesses caller} in another.
 */
public final class TwoProcesses {

  static final String POOL = "demo";
  static final String BLOCK = "total";

  private TwoProcesses() {}

  public static void main(String[] args) throws Exception {
    String role = args.length > 0 ? args[0] : "";
    String server = args.length > 1 ? args[1] : "127.0.0.1:45227";
    switch (role) {
      case "counter" -> counter(server);
      case "caller" -> System.out.print(caller(server, 3));
      default -> {
        System.err.println("usage: TwoProcesses counter|caller [host:port]");
        System.exit(2);
      }
    }
  }

  /** Answers {@code add {n}} with the new total, which it also writes into the shared block. */
  static void counter(String server) throws InterruptedException {
    long[] total = {0};
    LatZeroClient[] self = new LatZeroClient[1];
    LatZeroClient client =
        LatZeroClient.connect(
            "latzero://counter-app@" + server,
            LatZeroClientOptions.builder()
                .pools(POOL)
                .trigger(
                    "add",
                    call -> {
                      synchronized (total) {
                        total[0] += call.payload().path("n").asLong();
                        byte[] bytes =
                            ByteBuffer.allocate(8)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putLong(total[0])
                                .array();
                        self[0].memory().write(POOL, BLOCK, 0, bytes);
                        return JsonNodeFactory.instance.numberNode(total[0]);
                      }
                    })
                .build());
    self[0] = client;
    client.memory().create(POOL, BLOCK, 8);
    client.memory().attach(POOL, BLOCK, true);
    System.out.println("counter ready");
    new CountDownLatch(1).await(); // serves until the process is stopped
  }

  /** Calls {@code add} {@code times} times, then reads the total from the mapped block. */
  static String caller(String server, int times) {
    StringBuilder out = new StringBuilder();
    try (LatZeroClient client =
        LatZeroClient.connect(
            "latzero://caller-app@" + server, LatZeroClientOptions.builder().pools(POOL).build())) {
      for (int n = 1; n <= times; n++) {
        JsonNode total =
            client.call(POOL, "add", JsonNodeFactory.instance.objectNode().put("n", n)).join();
        out.append("add ").append(n).append(" -> ").append(total.asLong()).append('\n');
      }
      try (SharedBlock block = client.memory().openShared(POOL + ":" + BLOCK, false)) {
        byte[] bytes = new byte[8];
        long version = block.read(0, bytes, 0, 8);
        long total = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        out.append("block ")
            .append(POOL)
            .append(':')
            .append(BLOCK)
            .append(" holds ")
            .append(total)
            .append(" (version ")
            .append(version)
            .append(")\n");
      }
    }
    return out.toString();
  }
}
