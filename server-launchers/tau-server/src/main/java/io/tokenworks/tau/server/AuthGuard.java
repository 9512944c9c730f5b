package io.tokenworks.tau.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;

/**
 * Checks CONNECT certificates in constant time and limits guessing: after {@code maxAttempts}
 * failed CONNECTs from one client address within the lockout period, that address is refused
 * (without comparing) until the period has passed. A success clears the address' failures. Since
 * every failed CONNECT also closes its connection, the limit has to be per address to mean
 * anything. Thread-safe, shared by all connections of a server.
 */
final class AuthGuard {

  enum Outcome {
    ACCEPTED,
    REJECTED,
    LOCKED_OUT
  }

  private static final int MAX_TRACKED_ADDRESSES = 100_000;

  private record Failures(int count, long firstNs, long lockedUntilNs) {}

  private final byte[] certificate;
  private final int maxAttempts;
  private final long lockoutNs;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();

  AuthGuard(byte[] certificate, int maxAttempts, Duration lockout, LongSupplier nanoClock) {
    this.certificate = certificate.clone();
    this.maxAttempts = maxAttempts;
    this.lockoutNs = lockout.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Checks the 32-byte certificate at {@code offset}, sent from {@code address}. */
  Outcome attempt(InetAddress address, DirectBuffer buffer, int offset) {
    long nowNs = nanoClock.getAsLong();
    Failures known = failures.get(address);
    if (known != null && known.lockedUntilNs != 0 && known.lockedUntilNs - nowNs > 0) {
      return Outcome.LOCKED_OUT;
    }
    if (matches(buffer, offset)) {
      if (known != null) {
        failures.remove(address);
      }
      return Outcome.ACCEPTED;
    }
    recordFailure(address, nowNs);
    return Outcome.REJECTED;
  }

  private void recordFailure(InetAddress address, long nowNs) {
    if (failures.size() >= MAX_TRACKED_ADDRESSES) {
      failures
          .values()
          .removeIf(f -> nowNs - f.firstNs - lockoutNs > 0 && f.lockedUntilNs - nowNs <= 0);
    }
    failures.compute(
        address,
        (key, previous) -> {
          boolean fresh =
              previous == null
                  || nowNs - previous.firstNs - lockoutNs > 0
                  || (previous.lockedUntilNs != 0 && previous.lockedUntilNs - nowNs <= 0);
          int count = fresh ? 1 : previous.count + 1;
          long first = fresh ? nowNs : previous.firstNs;
          long lockedUntil = count >= maxAttempts ? nowNs + lockoutNs : 0;
          return new Failures(count, first, lockedUntil);
        });
  }

  /** Compares all 32 bytes, whatever the first difference, so timing reveals nothing. */
  private boolean matches(DirectBuffer buffer, int offset) {
    int difference = 0;
    for (int i = 0; i < certificate.length; i++) {
      difference |= certificate[i] ^ buffer.getByte(offset + i);
    }
    return difference == 0;
  }
}
