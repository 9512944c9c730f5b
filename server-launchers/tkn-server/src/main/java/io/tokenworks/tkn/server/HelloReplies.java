package io.tokenworks.tkn.server;

import io.netty.buffer.ByteBuf;
import io.tokenworks.protocol.tkn.TknControlEncoder;
import io.tokenworks.protocol.tkn.TknErrorCode;
import io.tokenworks.protocol.tkn.TknFrameDescriptor;
import io.tokenworks.protocol.tkn.TknHelloDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

/** Encodes the server's HELLO mode frames into pooled buffers and hands them to the transport. */
final class HelloReplies {

  private static final int HEADER = TknFrameDescriptor.HEADER_LENGTH;

  private final TknSession.Output output;
  private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

  HelloReplies(TknSession.Output output) {
    this.output = output;
  }

  void ready(long credit, long maxPayload, String sessionId) {
    ByteBuf frame = allocate(HEADER + TknHelloDescriptor.READY_MIN_PAYLOAD_LENGTH + 64);
    send(frame, TknControlEncoder.ready(view, 0, credit, maxPayload, sessionId));
  }

  void ack(long frames, long symbols, long tokens, long credit) {
    ByteBuf frame = allocate(HEADER + TknHelloDescriptor.ACK_PAYLOAD_LENGTH);
    send(frame, TknControlEncoder.ack(view, 0, frames, symbols, tokens, credit));
  }

  void error(TknErrorCode code, long frameNumber, String message) {
    String text = fit(message);
    ByteBuf frame =
        allocate(HEADER + TknHelloDescriptor.ERROR_MESSAGE_OFFSET + 3 * text.length() + 8);
    send(frame, TknControlEncoder.error(view, 0, code, frameNumber, text));
  }

  void flushed(long requestId, long tokens) {
    ByteBuf frame = allocate(HEADER + 16);
    send(frame, TknControlEncoder.flushed(view, 0, requestId, tokens));
  }

  private ByteBuf allocate(int capacity) {
    ByteBuf frame = output.alloc().heapBuffer(capacity, capacity);
    view.wrap(frame.array(), frame.arrayOffset(), capacity);
    return frame;
  }

  private void send(ByteBuf frame, int length) {
    frame.writerIndex(length);
    output.sendFrame(frame);
  }

  /** Messages are ours, but a quoted detail could be long: keep within the 1024-byte limit. */
  private static String fit(String message) {
    String text = message == null ? "" : message;
    int limit = TknHelloDescriptor.MAX_ERROR_MESSAGE_LENGTH / 3;
    return text.length() <= limit ? text : text.substring(0, limit - 3) + "...";
  }
}
