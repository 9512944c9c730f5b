/**
 * Trigger routing: the per-session call state, round-robin handler groups per (pool, trigger), and
 * call deadlines on a hashed timer wheel driven by one thread. The call path takes only short
 * per-session locks, never holds one while delivering, and runs no SQL. Used by {@link
 * io.tokenworks.latzero.LatZeroFabric}; embedders use {@link io.tokenworks.latzero.FabricSession}.
 */
package io.tokenworks.latzero.route;
