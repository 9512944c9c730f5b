package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.AGGREGATE_REPLY_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_FOUND_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_NOT_FOUND;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_NOT_FOUND_LENGTH;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Checks a reply frame against the request it answers and turns it into a value. An ERR becomes a
 * {@link TauClientException} with its status; a reply of the wrong shape is a protocol violation.
 */
final class TauReplies {

  private TauReplies() {}

  /** Throws for ERR and for anything but OK; returns the OK frame. */
  static TauFrame ok(TauFrame reply, TauOpcode request) {
    TauOpcode opcode = reply.opcode();
    if (opcode == TauOpcode.ERR) {
      throw error(reply, request);
    }
    if (opcode != TauOpcode.OK) {
      throw violation(request, "an OK or ERR reply", reply);
    }
    return reply;
  }

  static void empty(TauFrame reply, TauOpcode request) {
    if (ok(reply, request).payloadLength() != 0) {
      throw violation(request, "an empty OK", reply);
    }
  }

  static void pong(TauFrame reply) {
    if (reply.opcode() == TauOpcode.ERR) {
      throw error(reply, TauOpcode.PING);
    }
    if (reply.opcode() != TauOpcode.PONG) {
      throw violation(TauOpcode.PING, "PONG", reply);
    }
  }

  static TauClientException error(TauFrame reply, TauOpcode request) {
    int code = reply.buffer().getByte(reply.payloadOffset()) & 0xFF;
    TauStatus status = TauStatus.fromCode(code);
    String name = status == null ? String.format("0x%02x", code) : status.wireName();
    return new TauClientException(code, request + " failed: " + name);
  }

  static OptionalDouble point(TauFrame reply, TauOpcode request) {
    ok(reply, request);
    if (reply.queryFound()) {
      return OptionalDouble.of(reply.queryValue());
    }
    if (reply.payloadLength() == QUERY_REPLY_NOT_FOUND_LENGTH
        && reply.buffer().getByte(reply.payloadOffset()) == QUERY_REPLY_NOT_FOUND) {
      return OptionalDouble.empty();
    }
    throw violation(request, QUERY_REPLY_FOUND_LENGTH + " or 1 payload bytes", reply);
  }

  static Optional<TauPoint> latest(TauFrame reply) {
    ok(reply, TauOpcode.QUERY_LATEST);
    if (reply.latestFound()) {
      return Optional.of(new TauPoint(reply.latestTimestamp(), reply.latestValue()));
    }
    if (reply.payloadLength() == QUERY_REPLY_NOT_FOUND_LENGTH
        && reply.buffer().getByte(reply.payloadOffset()) == QUERY_REPLY_NOT_FOUND) {
      return Optional.empty();
    }
    throw violation(TauOpcode.QUERY_LATEST, "17 or 1 payload bytes", reply);
  }

  static TauRangePage range(TauFrame reply) {
    ok(reply, TauOpcode.QUERY_RANGE);
    if (!reply.isValidRangeReply()) {
      throw violation(TauOpcode.QUERY_RANGE, "count(4) + 16 x count + has_more(1)", reply);
    }
    int count = reply.rangeReplyCount();
    long[] timestamps = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      timestamps[i] = reply.rangeReplyTimestamp(i);
      values[i] = reply.rangeReplyValue(i);
    }
    return new TauRangePage(timestamps, values, reply.rangeReplyHasMore());
  }

  static TauAggregate aggregate(TauFrame reply) {
    ok(reply, TauOpcode.QUERY_AGGREGATE);
    if (reply.payloadLength() != AGGREGATE_REPLY_LENGTH) {
      throw violation(TauOpcode.QUERY_AGGREGATE, AGGREGATE_REPLY_LENGTH + " payload bytes", reply);
    }
    return new TauAggregate(
        reply.aggregateCount(),
        reply.aggregateMin(),
        reply.aggregateMax(),
        reply.aggregateSum(),
        reply.aggregateMean());
  }

  static List<TauLabel> labels(TauFrame reply, TauOpcode request) {
    ok(reply, request);
    if (reply.payloadLength() % LABEL_LENGTH != 0) {
      throw violation(request, "a multiple of 32 payload bytes", reply);
    }
    int count = reply.labelCount();
    List<TauLabel> labels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      labels.add(reply.label(i));
    }
    return labels;
  }

  private static TauClientException violation(TauOpcode request, String expected, TauFrame reply) {
    return new TauClientException(
        "protocol violation: "
            + request
            + " expects "
            + expected
            + ", got "
            + reply.opcode()
            + " with "
            + reply.payloadLength()
            + " payload bytes",
        null);
  }
}
