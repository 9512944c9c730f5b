package io.tokenworks.tau;

/** Why an engine operation failed. Servers map these to their wire's status codes. */
public enum TauError {
  /** No series (or, for a lens query, no source series) has that label. */
  SERIES_NOT_FOUND,
  SERIES_ALREADY_EXISTS,
  /** The timestamp is not strictly greater than the series' last one (duplicates included). */
  OUT_OF_ORDER,
  LENS_NOT_FOUND,
  LENS_ALREADY_EXISTS,
  /** The arguments are invalid, e.g. an unknown transform name or an empty batch. */
  INVALID_ARGUMENT,
  /** A configured bound was hit (mailbox, pending WAL bytes): retry later. */
  BUSY,
  /** A configured capacity was reached (series or lens count). */
  LIMIT_REACHED,
  /** The data directory could not be read or written; the message says which file and why. */
  STORAGE_FAILURE,
  /** The engine is closed or closing. */
  CLOSED
}
