/**
 * LatZero, the process fabric: pools (namespaces) holding triggers (RPC or fire-and-forget) and
 * shared-memory blocks that every app in the pool can use, with the triple-key security model and
 * SQLite persistence. Embeddable without any server; {@code latzero-server} adapts the Gen-1 wire
 * to it.
 *
 * <p>Start with {@link io.tokenworks.latzero.LatZeroFabric#open}; apps bind with {@link
 * io.tokenworks.latzero.LatZeroFabric#handshake} and get a {@link
 * io.tokenworks.latzero.FabricSession}; what they receive arrives through their {@link
 * io.tokenworks.latzero.Delivery}. Failures name a {@link io.tokenworks.latzero.FabricError}.
 */
package io.tokenworks.latzero;
