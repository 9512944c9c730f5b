package io.tokenworks.latzero;

import static io.tokenworks.latzero.RecordingDelivery.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallRoutingTest {

  @TempDir Path dataDir;

  private LatZeroFabric fabric;

  private LatZeroFabric open(FabricConfig.Builder builder) {
    fabric = LatZeroFabric.open(builder.backupInterval(Duration.ZERO).build());
    return fabric;
  }

  private LatZeroFabric open() {
    return open(FabricConfig.builder(dataDir));
  }

  @AfterEach
  void close() {
    if (fabric != null) {
      fabric.close();
    }
  }

  private FabricSession handler(String appId, RecordingDelivery delivery, String... triggers) {
    FabricSession session =
        fabric.handshake(Handshake.builder(appId).triggers(triggers).build(), delivery);
    delivery.answerAs(session);
    return session;
  }

  @Test
  void twoAppsCompleteAnRpcThroughTheFacade() {
    open();
    handler("echo-app", new RecordingDelivery(), "echo");
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);

    FabricResult sent = caller.call(CallRequest.of("c1", "echo", text("hi")));

    assertThat(sent.isOk()).as(sent.toString()).isTrue();
    assertThat(callerPushes.results.get("c1").get("echo").asText()).isEqualTo("hi");
    assertThat(callerPushes.results.get("c1").get("by").asText()).isEqualTo("echo-app");
    assertThat(caller.outstandingCalls()).isZero();
    assertThat(fabric.status().callsSucceeded()).isEqualTo(1);
  }

  @Test
  void roundRobinSpreadsCallsEvenlyPerPoolAndTrigger() {
    open();
    for (String app : new String[] {"h1", "h2", "h3"}) {
      handler(app, new RecordingDelivery(), "work", "other");
    }
    RecordingDelivery pushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), pushes);

    // Calls to another trigger in between must not shift the rotation of "work".
    for (int i = 0; i < 9; i++) {
      assertThat(caller.call(CallRequest.of("w" + i, "work", text("x"))).isOk()).isTrue();
      assertThat(caller.call(CallRequest.of("o" + i, "other", text("x"))).isOk()).isTrue();
    }

    Map<String, Integer> workPerHandler = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      workPerHandler.merge(pushes.results.get("w" + i).get("by").asText(), 1, Integer::sum);
    }
    assertThat(workPerHandler)
        .containsOnly(Map.entry("h1", 3), Map.entry("h2", 3), Map.entry("h3", 3));
    assertThat(pushes.results.get("w0").get("by").asText())
        .isNotEqualTo(pushes.results.get("w1").get("by").asText());
  }

  @Test
  void destinationCallReachesThatHandlerAndTheReplyGoesToTheOrigin() {
    open();
    RecordingDelivery first = new RecordingDelivery();
    RecordingDelivery second = new RecordingDelivery();
    handler("h1", first, "work");
    FabricSession h2 = handler("h2", second, "work");
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);

    for (int i = 0; i < 3; i++) {
      assertThat(caller.call(CallRequest.of("d" + i, "work", text("x")).to("h2")).isOk()).isTrue();
    }

    assertThat(first.calls).isEmpty();
    assertThat(second.calls).hasSize(3);
    assertThat(callerPushes.results).hasSize(3);
    assertThat(callerPushes.results.get("d0").get("by").asText()).isEqualTo("h2");
    // upstream sent destination replies back to the handler
    assertThat(second.results).isEmpty();
    assertThat(h2.outstandingCalls()).isZero();
  }

  @Test
  void destinationThatCannotTakeTheCallIsRefusedAtOnce() {
    open();
    handler("h1", new RecordingDelivery(), "work");
    fabric.handshake(
        Handshake.builder("elsewhere").pools("other").triggers("work").build(),
        new RecordingDelivery());
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());

    FabricResult offline = caller.call(CallRequest.of("a", "work", text("x")).to("nobody"));
    FabricResult noTrigger = caller.call(CallRequest.of("b", "sleep", text("x")).to("h1"));
    FabricResult notInPool = caller.call(CallRequest.of("c", "work", text("x")).to("elsewhere"));

    assertThat(offline.error()).isEqualTo(FabricError.TRIGGER_ROUTING_ERROR);
    assertThat(offline.message()).contains("not connected");
    assertThat(noTrigger.error()).isEqualTo(FabricError.TRIGGER_ROUTING_ERROR);
    assertThat(noTrigger.message()).contains("did not register");
    assertThat(notInPool.error()).isEqualTo(FabricError.TRIGGER_ROUTING_ERROR);
    assertThat(notInPool.message()).contains("not a member");
    assertThat(caller.outstandingCalls()).isZero();
  }

  @Test
  void callWithNoLiveHandlerIsARoutingError() {
    open();
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());

    FabricResult result = caller.call(CallRequest.of("a", "nobody-handles-this", text("x")));

    assertThat(result.error()).isEqualTo(FabricError.TRIGGER_ROUTING_ERROR);
  }

  @Test
  void onlyTheSessionTheCallWasDispatchedToMayAnswerIt() {
    open();
    RecordingDelivery handlerPushes = new RecordingDelivery();
    FabricSession handler =
        fabric.handshake(Handshake.builder("h1").triggers("work").build(), handlerPushes);
    FabricSession impostor =
        fabric.handshake(Handshake.builder("h2").triggers("work").build(), new RecordingDelivery());
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);
    caller.call(CallRequest.of("c1", "work", text("x")).to("h1"));
    long dispatchId = handlerPushes.calls.get(0).dispatchId();

    FabricResult forged = impostor.reply(dispatchId, text("forged"));
    FabricResult callerForged = caller.reply(dispatchId, text("forged"));

    assertThat(forged.error()).isEqualTo(FabricError.NOT_RESPONDER);
    assertThat(callerForged.error()).isEqualTo(FabricError.NOT_RESPONDER);
    assertThat(callerPushes.results).isEmpty();
    assertThat(handler.reply(dispatchId, text("real")).isOk()).isTrue();
    assertThat(callerPushes.results.get("c1").asText()).isEqualTo("real");
    assertThat(handler.reply(dispatchId, text("again")).error())
        .isEqualTo(FabricError.UNKNOWN_CALL);
  }

  @Test
  void appMayCallItsOwnTrigger() {
    open();
    RecordingDelivery pushes = new RecordingDelivery();
    FabricSession self = handler("loop", pushes, "echo");

    assertThat(self.call(CallRequest.of("me", "echo", text("x")).to("loop")).isOk()).isTrue();
    assertThat(self.call(CallRequest.of("me2", "echo", text("y"))).isOk()).isTrue();

    assertThat(pushes.results.get("me").get("by").asText()).isEqualTo("loop");
    assertThat(pushes.results.get("me2").get("echo").asText()).isEqualTo("y");
  }

  @Test
  void handlerErrorReachesTheCallerAsHandlerError() {
    open();
    RecordingDelivery handlerPushes = new RecordingDelivery();
    FabricSession handler =
        fabric.handshake(Handshake.builder("h1").triggers("work").build(), handlerPushes);
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);
    caller.call(CallRequest.of("c1", "work", text("x")));

    handler.replyError(handlerPushes.calls.get(0).dispatchId(), "disk full");

    assertThat(callerPushes.failures.get("c1"))
        .isEqualTo(new RecordingDelivery.Failure(FabricError.HANDLER_ERROR, "disk full"));
  }

  @Test
  void emitReachesEveryRegisteredSessionInThePoolOnly() {
    open();
    RecordingDelivery inPoolA = new RecordingDelivery();
    RecordingDelivery inPoolB = new RecordingDelivery();
    RecordingDelivery otherPool = new RecordingDelivery();
    RecordingDelivery notRegistered = new RecordingDelivery();
    RecordingDelivery emitterPushes = new RecordingDelivery();
    fabric.handshake(Handshake.builder("a").pools("news").triggers("tick").build(), inPoolA);
    fabric.handshake(Handshake.builder("b").pools("news").triggers("tick").build(), inPoolB);
    fabric.handshake(Handshake.builder("c").pools("sports").triggers("tick").build(), otherPool);
    fabric.handshake(Handshake.builder("d").pools("news").triggers("tock").build(), notRegistered);
    FabricSession emitter =
        fabric.handshake(
            Handshake.builder("e").pools("news").triggers("tick").build(), emitterPushes);

    FabricResult result = emitter.emit("news", "tick", text("now"));

    assertThat(result.isOk()).isTrue();
    assertThat(inPoolA.emits)
        .containsExactly(new RecordingDelivery.Emit("e", "news", "tick", text("now")));
    assertThat(inPoolB.emits).hasSize(1);
    assertThat(emitterPushes.emits).hasSize(1); // the emitter registered "tick" itself
    assertThat(otherPool.emits).isEmpty();
    assertThat(notRegistered.emits).isEmpty();
    assertThat(emitter.emit("sports", "tick", text("x")).error()).isEqualTo(FabricError.NOT_MEMBER);
    assertThat(otherPool.emits).isEmpty();
  }

  @Test
  void handlerClosingMidCallFailsTheCallerAtOnce() {
    open();
    RecordingDelivery handlerPushes = new RecordingDelivery();
    FabricSession handler =
        fabric.handshake(Handshake.builder("h1").triggers("slow").build(), handlerPushes);
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);
    caller.call(CallRequest.of("c1", "slow", text("x")).withTtlMs(600_000));

    handler.close();

    // Synchronously, not after the 10 minute ttl (upstream waited out the ttl).
    assertThat(callerPushes.failures.get("c1").error()).isEqualTo(FabricError.HANDLER_GONE);
    assertThat(caller.outstandingCalls()).isZero();
    assertThat(fabric.status().outstandingCalls()).isZero();
    assertThat(caller.call(CallRequest.of("c2", "slow", text("x"))).error())
        .isEqualTo(FabricError.TRIGGER_ROUTING_ERROR);
  }

  @Test
  void callerClosingDropsItsCallsAndTheLateReplyIsUnknown() {
    open();
    RecordingDelivery handlerPushes = new RecordingDelivery();
    FabricSession handler =
        fabric.handshake(Handshake.builder("h1").triggers("slow").build(), handlerPushes);
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);
    caller.call(CallRequest.of("c1", "slow", text("x")));

    caller.close();

    assertThat(fabric.status().outstandingCalls()).isZero();
    assertThat(handler.reply(handlerPushes.calls.get(0).dispatchId(), text("late")).error())
        .isEqualTo(FabricError.UNKNOWN_CALL);
    assertThat(callerPushes.results).isEmpty();
    assertThat(caller.call(CallRequest.of("c2", "slow", text("x"))).error())
        .isEqualTo(FabricError.SESSION_CLOSED);
    assertThat(caller.emit(null, "slow", text("x")).error()).isEqualTo(FabricError.SESSION_CLOSED);
  }

  @Test
  void deadlineExpiryFailsTheCallWithTimeoutAndRejectsTheLateReply() {
    MutableClock clock = new MutableClock(1_000_000);
    open(FabricConfig.builder(dataDir).clock(clock));
    RecordingDelivery handlerPushes = new RecordingDelivery();
    FabricSession handler =
        fabric.handshake(Handshake.builder("h1").triggers("slow").build(), handlerPushes);
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);
    caller.call(CallRequest.of("c1", "slow", text("x")).withTtlMs(50));
    caller.call(CallRequest.of("c2", "slow", text("x")).withTtlMs(5_000));

    clock.advance(Duration.ofMillis(60));

    await().atMost(Duration.ofSeconds(5)).until(() -> callerPushes.failures.containsKey("c1"));
    assertThat(callerPushes.failures.get("c1"))
        .isEqualTo(new RecordingDelivery.Failure(FabricError.TIMEOUT, "Request timeout"));
    assertThat(callerPushes.failures).doesNotContainKey("c2");
    assertThat(handler.reply(handlerPushes.calls.get(0).dispatchId(), text("late")).error())
        .isEqualTo(FabricError.UNKNOWN_CALL);
    assertThat(handler.reply(handlerPushes.calls.get(1).dispatchId(), text("on time")).isOk())
        .isTrue();
    assertThat(callerPushes.results).containsOnlyKeys("c2");
    assertThat(fabric.status().callsTimedOut()).isEqualTo(1);
  }

  @Test
  void shortTtlExpiresOnTheRealClock() {
    open();
    fabric.handshake(Handshake.builder("h1").triggers("slow").build(), new RecordingDelivery());
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);

    caller.call(CallRequest.of("c1", "slow", text("x")).withTtlMs(20));

    await().atMost(Duration.ofSeconds(5)).until(() -> callerPushes.failures.containsKey("c1"));
    assertThat(callerPushes.failures.get("c1").error()).isEqualTo(FabricError.TIMEOUT);
    assertThat(caller.outstandingCalls()).isZero();
  }

  @Test
  void callsBeyondTheSessionBoundAreOverloaded() {
    open(FabricConfig.builder(dataDir).maxOutstandingCallsPerSession(2));
    RecordingDelivery handlerPushes = new RecordingDelivery();
    FabricSession handler =
        fabric.handshake(Handshake.builder("h1").triggers("slow").build(), handlerPushes);
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());

    assertThat(caller.call(CallRequest.of("1", "slow", text("x"))).isOk()).isTrue();
    assertThat(caller.call(CallRequest.of("2", "slow", text("x"))).isOk()).isTrue();
    FabricResult third = caller.call(CallRequest.of("3", "slow", text("x")));

    assertThat(third.error()).isEqualTo(FabricError.OVERLOADED);
    assertThat(handlerPushes.calls).hasSize(2);
    handler.reply(handlerPushes.calls.get(0).dispatchId(), text("done"));
    assertThat(caller.call(CallRequest.of("3", "slow", text("x"))).isOk()).isTrue();
  }

  @Test
  void callsBeyondTheFabricBoundAreOverloaded() {
    open(FabricConfig.builder(dataDir).maxOutstandingCalls(1));
    fabric.handshake(Handshake.builder("h1").triggers("slow").build(), new RecordingDelivery());
    FabricSession a = fabric.handshake(Handshake.builder("a").build(), new RecordingDelivery());
    FabricSession b = fabric.handshake(Handshake.builder("b").build(), new RecordingDelivery());

    assertThat(a.call(CallRequest.of("1", "slow", text("x"))).isOk()).isTrue();
    FabricResult second = b.call(CallRequest.of("1", "slow", text("x")));

    assertThat(second.error()).isEqualTo(FabricError.OVERLOADED);
    assertThat(second.message()).contains("maxOutstandingCalls=1");
  }

  @Test
  void handlerThatCannotTakeACallMakesItOverloadedAndOneThatThrowsMakesItGone() {
    open();
    fabric.handshake(
        Handshake.builder("busy").triggers("busy").build(),
        new RecordingDelivery().accepting(call -> false));
    fabric.handshake(
        Handshake.builder("broken").triggers("broken").build(),
        new RecordingDelivery()
            .accepting(
                call -> {
                  throw new IllegalStateException("connection reset");
                }));
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());

    assertThat(caller.call(CallRequest.of("1", "busy", text("x"))).error())
        .isEqualTo(FabricError.OVERLOADED);
    assertThat(caller.call(CallRequest.of("2", "broken", text("x"))).error())
        .isEqualTo(FabricError.HANDLER_GONE);
    assertThat(caller.outstandingCalls()).isZero();
    assertThat(fabric.status().outstandingCalls()).isZero();
  }

  @Test
  void duplicateCallIdAmongOutstandingCallsIsRefusedAndFreeAgainAfterTheOutcome() {
    open();
    RecordingDelivery handlerPushes = new RecordingDelivery();
    FabricSession handler =
        fabric.handshake(Handshake.builder("h1").triggers("slow").build(), handlerPushes);
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());
    FabricSession other =
        fabric.handshake(Handshake.builder("other").build(), new RecordingDelivery());
    caller.call(CallRequest.of("same", "slow", text("x")));

    FabricResult duplicate = caller.call(CallRequest.of("same", "slow", text("x")));
    FabricResult otherCaller = other.call(CallRequest.of("same", "slow", text("x")));

    assertThat(duplicate.error()).isEqualTo(FabricError.DUPLICATE_CALL_ID);
    assertThat(otherCaller.isOk()).as("call ids are per caller").isTrue();
    handler.reply(handlerPushes.calls.get(0).dispatchId(), text("done"));
    assertThat(caller.call(CallRequest.of("same", "slow", text("x"))).isOk()).isTrue();
  }

  @Test
  void callerOutsideThePoolIsNotAMemberAndAnUnknownPoolIsNotFound() {
    open();
    fabric.handshake(
        Handshake.builder("h1").pools("jobs").triggers("work").build(), new RecordingDelivery());
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());

    assertThat(caller.call(CallRequest.of("1", "work", text("x")).inPool("jobs")).error())
        .isEqualTo(FabricError.NOT_MEMBER);
    assertThat(caller.call(CallRequest.of("2", "work", text("x")).inPool("ghost")).error())
        .isEqualTo(FabricError.POOL_NOT_FOUND);
  }

  @Test
  void badCallRequestsAreValidationErrors() {
    open(FabricConfig.builder(dataDir).maxTtl(Duration.ofSeconds(60)));
    handler("h1", new RecordingDelivery(), "work");
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());

    assertThat(caller.call(CallRequest.of("", "work", text("x"))).error())
        .isEqualTo(FabricError.VALIDATION_ERROR);
    assertThat(caller.call(CallRequest.of(null, "work", text("x"))).error())
        .isEqualTo(FabricError.VALIDATION_ERROR);
    assertThat(caller.call(CallRequest.of("x".repeat(257), "work", text("x"))).error())
        .isEqualTo(FabricError.VALIDATION_ERROR);
    assertThat(caller.call(CallRequest.of("1", null, text("x"))).error())
        .isEqualTo(FabricError.VALIDATION_ERROR);
    assertThat(caller.call(CallRequest.of("1", "work", text("x")).withTtlMs(-1)).error())
        .isEqualTo(FabricError.VALIDATION_ERROR);
    FabricResult tooLong = caller.call(CallRequest.of("1", "work", text("x")).withTtlMs(61_000));
    assertThat(tooLong.error()).isEqualTo(FabricError.VALIDATION_ERROR);
    assertThat(tooLong.message()).contains("ttl=61000");
    assertThat(caller.emit(null, "", text("x")).error()).isEqualTo(FabricError.VALIDATION_ERROR);
    assertThat(fabric.status().callsRejected()).isGreaterThanOrEqualTo(6);
  }

  @Test
  void defaultTtlAppliesWhenTheCallNamesNone() {
    open(FabricConfig.builder(dataDir).defaultTtl(Duration.ofMillis(1234)));
    RecordingDelivery handlerPushes = new RecordingDelivery();
    fabric.handshake(Handshake.builder("h1").triggers("work").build(), handlerPushes);
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").build(), new RecordingDelivery());

    caller.call(CallRequest.of("1", "work", text("x")));

    IncomingCall received = handlerPushes.calls.get(0);
    assertThat(received.ttlMs()).isEqualTo(1234);
    assertThat(received.originAppId()).isEqualTo("client");
    assertThat(received.pool()).isEqualTo("default");
    assertThat(received.trigger()).isEqualTo("work");
    assertThat(received.callId()).isEqualTo("1");
  }
}
