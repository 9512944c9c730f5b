package io.tokenworks.tkn;

/**
 * A JSON frame's payload is not one JSON value as JavaScript's {@code JSON.parse} would accept it
 * (after UTF-8 decoding as {@code TextDecoder} does). No symbol of the frame was interned or mined.
 * The message names the problem and its position, never the payload.
 */
public final class MalformedJsonException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long offset;

  MalformedJsonException(String problem, long offset, Throwable cause) {
    super(
        "malformed JSON payload: " + problem + (offset >= 0 ? " (at offset " + offset + ")" : ""),
        cause,
        false,
        false);
    this.offset = offset;
  }

  /**
   * Where the problem was found, counted from the payload's first byte (or first character, when
   * the payload needed UTF-8 repair before parsing); -1 if unknown.
   */
  public long offset() {
    return offset;
  }
}
