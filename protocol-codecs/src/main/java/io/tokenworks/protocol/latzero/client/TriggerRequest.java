package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call the server dispatched to this client's handler.
 *
 * @param dispatchId the server's id for this dispatch (the client answers with it)
 * @param callId the id the caller chose
 * @param origin the caller's app id
 * @param pool the pool the call was made in
 * @param trigger the trigger name
 * @param payload the call's argument
 * @param ttlMs the call's deadline in milliseconds from when it was made
 */
public record TriggerRequest(
    String dispatchId,
    String callId,
    String origin,
    String pool,
    String trigger,
    JsonNode payload,
    long ttlMs) {}
