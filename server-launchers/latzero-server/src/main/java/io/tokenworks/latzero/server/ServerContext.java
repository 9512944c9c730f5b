package io.tokenworks.latzero.server;

import io.tokenworks.latzero.LatZeroFabric;
import io.tokenworks.protocol.latzero.LatZeroMessageCodec;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;

/**
 * What every connection of one server shares.
 *
 * @param blocking runs requests that may block (pool administration waits for the database, block
 *     operations touch files) off the event loops
 * @param adminToken the token that lets a client on this host handshake as {@link
 *     LatZeroServer#ADMIN_APP_ID}
 * @param shutdown asks the server to stop (the admin {@code shutdown} operation), asynchronously
 * @param connections the number of open connections, for {@code server_status}
 * @param startedMs when the server started (epoch ms)
 */
record ServerContext(
    LatZeroServerConfig config,
    LatZeroFabric fabric,
    Frames frames,
    LatZeroMessageCodec codec,
    LatZeroMetrics metrics,
    Executor blocking,
    AdminToken adminToken,
    Runnable shutdown,
    IntSupplier connections,
    long startedMs) {}
