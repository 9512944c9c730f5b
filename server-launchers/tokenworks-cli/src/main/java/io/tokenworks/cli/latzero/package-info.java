/**
 * {@code tokenworks latzero start|status|stop} and {@code tokenworks bench latzero}: the LatZero
 * server's command, the status and stop commands that find a running server through the files in
 * its data directory and talk to it as the loopback admin, and the RPC load generator with its echo
 * handler processes.
 */
package io.tokenworks.cli.latzero;
