package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers calls to one trigger. Runs on the client's handler executor, never on its reader thread,
 * so it may block and may use the client (even call other apps).
 */
@FunctionalInterface
public interface TriggerHandler {

  /**
   * @return the result sent to the caller ({@code null} sends JSON null)
   * @throws Exception to fail the call: the caller gets {@code HANDLER_ERROR} with the exception's
   *     message
   */
  JsonNode handle(TriggerRequest request) throws Exception;
}
