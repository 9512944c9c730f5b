package io.tokenworks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callers on several threads, handlers answering from other threads, a handler leaving mid-run:
 * every accepted call must get exactly one outcome, and nothing may stay outstanding.
 */
class ConcurrentRoutingTest {

  private static final int CALLERS = 4;
  private static final int CALLS_PER_CALLER = 2_000;

  @TempDir Path dataDir;

  /** Counts outcomes per call id, so a second outcome for one call is seen. */
  private static class CountingDelivery implements Delivery {
    final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    final Map<FabricError, AtomicInteger> failures = new ConcurrentHashMap<>();

    @Override
    public boolean onCall(IncomingCall call) {
      return true;
    }

    @Override
    public void onResult(String callId, JsonNode result) {
      outcomes.computeIfAbsent(callId, id -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void onCallFailed(String callId, FabricError error, String message) {
      outcomes.computeIfAbsent(callId, id -> new AtomicInteger()).incrementAndGet();
      failures.computeIfAbsent(error, e -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void onEmit(String originAppId, String pool, String name, JsonNode payload) {}
  }

  /** Queues its calls for responder threads, so replies come from threads other than callers'. */
  private static final class QueueingDelivery extends CountingDelivery {
    final ConcurrentLinkedQueue<IncomingCall> inbox = new ConcurrentLinkedQueue<>();

    @Override
    public boolean onCall(IncomingCall call) {
      inbox.add(call);
      return true;
    }
  }

  @Test
  void everyAcceptedCallGetsExactlyOneOutcomeUnderConcurrency() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("ConcurrentRoutingTest seed=" + seed);
    try (LatZeroFabric fabric =
        LatZeroFabric.open(
            FabricConfig.builder(dataDir)
                .backupInterval(Duration.ZERO)
                .maxOutstandingCallsPerSession(CALLS_PER_CALLER)
                .build())) {
      List<FabricSession> handlers = new ArrayList<>();
      List<QueueingDelivery> inboxes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        QueueingDelivery delivery = new QueueingDelivery();
        inboxes.add(delivery);
        handlers.add(
            fabric.handshake(Handshake.builder("handler" + i).triggers("work").build(), delivery));
      }
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> responders = new ArrayList<>();
      for (int i = 0; i < handlers.size(); i++) {
        FabricSession session = handlers.get(i);
        QueueingDelivery inbox = inboxes.get(i);
        Random random = new Random(seed + i);
        Thread responder =
            new Thread(
                () -> {
                  while (running.get() || !inbox.inbox.isEmpty()) {
                    IncomingCall call = inbox.inbox.poll();
                    if (call == null) {
                      Thread.onSpinWait();
                    } else if (random.nextInt(10) == 0) {
                      session.replyError(call.dispatchId(), "refused");
                    } else {
                      session.reply(call.dispatchId(), IntNode.valueOf(1));
                    }
                  }
                });
        responder.start();
        responders.add(responder);
      }

      List<CountingDelivery> callerDeliveries = new ArrayList<>();
      List<AtomicInteger> acceptedCounts = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        CountingDelivery delivery = new CountingDelivery();
        callerDeliveries.add(delivery);
        AtomicInteger accepted = new AtomicInteger();
        acceptedCounts.add(accepted);
        FabricSession caller = fabric.handshake(Handshake.builder("caller" + c).build(), delivery);
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int n = 0; n < CALLS_PER_CALLER; n++) {
                    if (caller.call(CallRequest.of("c" + n, "work", IntNode.valueOf(n))).isOk()) {
                      accepted.incrementAndGet();
                    }
                  }
                });
        thread.start();
        callers.add(thread);
      }

      start.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> fabric.status().callsAccepted() > 500);
      handlers.get(0).close(); // leaves mid-run: its pending calls fail with HANDLER_GONE
      for (Thread thread : callers) {
        thread.join();
      }
      running.set(false);
      for (Thread responder : responders) {
        responder.join();
      }

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                for (int c = 0; c < CALLERS; c++) {
                  assertThat(callerDeliveries.get(c).outcomes).hasSize(acceptedCounts.get(c).get());
                }
              });
      for (CountingDelivery delivery : callerDeliveries) {
        assertThat(delivery.outcomes.values()).allMatch(count -> count.get() == 1);
      }
      assertThat(fabric.status().outstandingCalls()).isZero();
      FabricStatus status = fabric.status();
      assertThat(
              status.callsSucceeded() + status.callsFailedByHandler() + status.callsHandlerGone())
          .isEqualTo(status.callsAccepted());
    }
  }
}
