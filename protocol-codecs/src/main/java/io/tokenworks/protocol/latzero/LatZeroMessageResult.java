package io.tokenworks.protocol.latzero;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** What {@link LatZeroMessageCodec#parse} made of a frame's body: a message or the reason not. */
public sealed interface LatZeroMessageResult {

  /**
   * A JSON object with a message type.
   *
   * @param json the whole object as received; owned by the caller, nothing else refers to it
   * @param type the message type: the {@code type} field, or the legacy {@code action} field when
   *     the object has no {@code type} key (the object is not rewritten)
   */
  record Message(ObjectNode json, String type) implements LatZeroMessageResult {
    public Message {
      Objects.requireNonNull(json, "json");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * A body that is not a message.
   *
   * @param error what is wrong
   * @param detail one line for a human: where and why; it may quote a few characters of the body
   */
  record Invalid(LatZeroMessageError error, String detail) implements LatZeroMessageResult {
    public Invalid {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
