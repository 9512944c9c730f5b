package io.tokenworks.protocol.latzero;

/**
 * Why a whole frame's body is not a LatZero message. None of these closes the connection: the frame
 * boundary is intact, so the server answers with an error frame and reads the next frame.
 */
public enum LatZeroMessageError {
  /**
   * The body is not well-formed UTF-8 (a bad or truncated sequence, an overlong form, an encoded
   * surrogate). Decoding is strict: nothing is replaced with U+FFFD.
   */
  MALFORMED_UTF8,
  /**
   * The body is not exactly one JSON value: a syntax error, a truncated value, anything but
   * whitespace after the value, a duplicate key in an object, a byte order mark, an empty body, a
   * key holding an unpaired surrogate escape such as {@code "\uD800"} (Jackson refuses those in
   * keys, though not in values), or a number longer than 1,000 characters (parsing such numbers
   * costs time out of proportion to their length).
   */
  MALFORMED_JSON,
  /** The body is a JSON value other than an object. */
  NOT_AN_OBJECT,
  /**
   * The object has no non-empty string {@code type} and, when it has no {@code type} key at all, no
   * non-empty string {@code action} either.
   */
  MISSING_TYPE,
  /**
   * Arrays and objects nest deeper than {@link LatZeroMessageCodec#MAX_NESTING_DEPTH}; parsing
   * stopped there, so hostile input cannot exhaust the stack.
   */
  NESTING_TOO_DEEP
}
