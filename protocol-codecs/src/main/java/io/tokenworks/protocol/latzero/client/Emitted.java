package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event emitted in a pool under a trigger name this client registered.
 *
 * @param origin the emitter's app id
 */
public record Emitted(String origin, String pool, String trigger, JsonNode payload) {}
