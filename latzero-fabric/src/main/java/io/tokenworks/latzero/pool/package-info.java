/**
 * Pools: the namespaces apps join to call and emit to one another. Types, policies, the access seam
 * for encrypted pools ({@link io.tokenworks.latzero.pool.PoolAccessPolicy}) and the pool directory
 * the fabric keeps in memory and mirrors to SQLite.
 */
package io.tokenworks.latzero.pool;
