package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;

/** A call delivered to a handler through {@link Delivery#onCall}. */
public interface IncomingCall {

  /**
   * The fabric's id for this dispatch, unique among the handler's pending calls; the handler quotes
   * it in {@link FabricSession#reply}. Callers choose their own call ids, which may repeat across
   * callers, so a server should forward this (not {@link #callId()}) as the id the handler answers.
   */
  long dispatchId();

  /** The id the caller chose. */
  String callId();

  /** The app id of the caller. */
  String originAppId();

  String pool();

  String trigger();

  JsonNode payload();

  /** The call's time to live in milliseconds, as accepted (the default filled in). */
  long ttlMs();
}
