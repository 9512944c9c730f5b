package io.tokenworks.tau.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Label;
import io.tokenworks.tau.TauObserver;
import io.tokenworks.tau.storage.SeriesData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Who runs a caller-runs actor's turns. */
class SeriesActorTest {

  /** Runs nothing until told: what the actor hands to the pool stays visible here. */
  private static final class HeldWorkers implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }
  }

  private static SeriesActor callerRunsActor(Executor workers) {
    return new SeriesActor(
        1,
        Label.of("s"),
        new SeriesData(64),
        null,
        null,
        workers,
        true,
        4096,
        new Health(),
        TauObserver.NONE,
        new LongAdder(),
        new LongAdder());
  }

  /**
   * Runs a checkpoint's turn during which 300 appends arrive: more than one turn takes, so the turn
   * ends with commands left over. Returns the appends' outcomes.
   */
  private static List<CompletableFuture<Void>> turnEndingWithLeftovers(SeriesActor actor) {
    List<CompletableFuture<Void>> appends = new ArrayList<>();
    CompletableFuture<Void> checkpointDone = new CompletableFuture<>();
    checkpointDone.thenRun(
        () -> {
          for (int t = 0; t < 300; t++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            appends.add(done);
            assertThat(actor.offer(new Command.Append(t, t, failure -> done.complete(null))))
                .isTrue();
          }
        });
    actor.offerControl(new Command.Checkpoint(checkpointDone, new ConcurrentLinkedQueue<>()));
    assertThat(appends).hasSize(300).anyMatch(done -> !done.isDone());
    return appends;
  }

  @Test
  void commandsLeftAfterATurnGoToTheNextSenderBeforeAnyWorker() {
    HeldWorkers workers = new HeldWorkers();
    SeriesActor actor = callerRunsActor(workers);
    List<CompletableFuture<Void>> appends = turnEndingWithLeftovers(actor);

    // The next append's sender runs the leftovers and its own in its turn, without the pool.
    CompletableFuture<Void> next = new CompletableFuture<>();
    actor.offer(new Command.Append(300, 300, failure -> next.complete(null)));
    assertThat(appends).allMatch(CompletableFuture::isDone);
    assertThat(next).isCompleted();

    // The pool only got a nudge, which finds nothing left to do.
    assertThat(workers.tasks).hasSize(1);
    workers.runAll();
    assertThat(actor.queueDepth()).isZero();
  }

  @Test
  void leftoversStillRunWhenNoSenderComes() {
    HeldWorkers workers = new HeldWorkers();
    SeriesActor actor = callerRunsActor(workers);
    List<CompletableFuture<Void>> appends = turnEndingWithLeftovers(actor);
    workers.runAll();
    assertThat(appends).allMatch(CompletableFuture::isDone);
    assertThat(actor.queueDepth()).isZero();
  }

  @Test
  void anIdleActorRunsTheSendersCommandAndThenWhatArrivedDuringIt() {
    HeldWorkers workers = new HeldWorkers();
    SeriesActor actor = callerRunsActor(workers);
    List<String> outcomes = new ArrayList<>();
    // The first append's completion sends the second, as a server's reply path may: the second
    // arrives while the turn is running and must run in that same turn, after the first.
    actor.offer(
        new Command.Append(
            1,
            1.5,
            failure -> {
              outcomes.add("1:" + failure);
              actor.offer(new Command.Append(2, 2.5, second -> outcomes.add("2:" + second)));
            }));
    assertThat(outcomes).containsExactly("1:null", "2:null");
    assertThat(actor.data().pointCount()).isEqualTo(2);
    assertThat(actor.queueDepth()).isZero();
    assertThat(workers.tasks).isEmpty();
  }

  @Test
  void aSenderFindingLeftoversRunsThemBeforeItsOwnCommand() {
    HeldWorkers workers = new HeldWorkers();
    SeriesActor actor = callerRunsActor(workers);
    List<CompletableFuture<Void>> leftovers = turnEndingWithLeftovers(actor);
    List<Throwable> failures = new ArrayList<>();
    // Timestamps 0..299 are queued: the next append (300) must not overtake them, or they would
    // all fail as out of order.
    actor.offer(
        new Command.Append(
            300,
            300,
            failure -> {
              if (failure != null) {
                failures.add(failure);
              }
            }));
    assertThat(leftovers).allMatch(CompletableFuture::isDone);
    assertThat(failures).isEmpty();
    assertThat(actor.data().pointCount()).isEqualTo(301);
    assertThat(actor.data().latest()).map(p -> p.timestamp()).contains(300L);
  }
}
