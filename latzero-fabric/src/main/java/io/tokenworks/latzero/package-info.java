/**
 * LatZero, the process fabric: pools (namespaces) holding triggers (RPC or fire-and-forget) and
 * shared-memory blocks that every app in the pool can use, with the triple-key security model and
 * SQLite persistence. Embeddable without any server; {@code latzero-server} adapts the Gen-1 wire
 * to it.
 */
package io.tokenworks.latzero;
