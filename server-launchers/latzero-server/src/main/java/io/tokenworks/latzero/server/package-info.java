/**
 * The LatZero server: the Gen-1 protocol (a 4-byte big-endian length, then one UTF-8 JSON object;
 * port 45227) over Netty, adapted onto an embedded {@link io.tokenworks.latzero.LatZeroFabric}.
 *
 * <p>{@link io.tokenworks.latzero.server.LatZeroServer} starts one fabric and its listener; {@link
 * io.tokenworks.latzero.server.LatZeroServerConfig} holds the settings ({@code LATZERO_*}
 * environment variables, a {@code key=value} file, defaults); {@link
 * io.tokenworks.latzero.server.LatZeroServerCommand} is {@code tokenworks latzero start}. The
 * messages and their canonical forms are described by {@code latzero-protocol.schema.json} in this
 * module's resources.
 *
 * <p>Per connection: frames are found and parsed on the event loop; handshake, calls, answers,
 * emits and pings go straight to the connection's fabric session; administration and block
 * operations run on a small blocking pool while the connection waits, so answers keep request
 * order. Frames for a connection (its replies, calls routed to it, results, events) are encoded
 * once on whichever thread produces them and written with one flush per event-loop turn. A
 * connection's pending outbound bytes are bounded: over the bound, calls to it are refused with
 * OVERLOADED and anything else pushed to it closes it with SERVER_BUSY. A bad frame gets one error
 * frame and the connection closes.
 *
 * <p>Local administration ({@code status}, {@code stop}): the server writes {@code latzero.pid},
 * {@code latzero.endpoint} (host, port, tls, metrics port) and an owner-only {@code admin.token} in
 * its data directory; a client on the same host handshaking as {@code latzero-admin} with that
 * token is a fabric admin and may send {@code server_status} and {@code shutdown}.
 */
package io.tokenworks.latzero.server;
