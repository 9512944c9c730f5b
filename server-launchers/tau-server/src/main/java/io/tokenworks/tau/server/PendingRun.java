package io.tokenworks.tau.server;

import io.tokenworks.tau.AppendRun;
import io.tokenworks.tau.Label;
import java.util.Arrays;

/**
 * The APPEND requests of one read that go to one series, one after another, started together as an
 * {@link AppendRun}: one engine command, one WAL record and one settlement for what a pipelining
 * client sent in one segment, instead of one of each per frame. Each request still gets its own
 * reply: OK, OUT_OF_ORDER for a point the engine refused, or the run's failure.
 */
final class PendingRun implements AppendRun {

  /** Told once, on the thread that settled the run. */
  interface Settled {
    void settled(PendingRun run, Throwable failure);
  }

  final Label label;
  private final Settled settled;
  private TauRequest[] requests = new TauRequest[16];
  private int size;

  PendingRun(Label label, Settled settled) {
    this.label = label;
    this.settled = settled;
  }

  void add(TauRequest request) {
    if (size == requests.length) {
      requests = Arrays.copyOf(requests, 2 * size);
    }
    requests[size++] = request;
  }

  TauRequest request(int index) {
    return requests[index];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long timestamp(int index) {
    return requests[index].timestamp;
  }

  @Override
  public double value(int index) {
    return requests[index].value;
  }

  @Override
  public void outOfOrder(int index) {
    requests[index].outOfOrder = true;
  }

  @Override
  public void appended(Throwable failure) {
    settled.settled(this, failure);
  }
}
