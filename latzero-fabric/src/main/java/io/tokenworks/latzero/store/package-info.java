/**
 * LatZero persistence: one SQLite database file ({@code <dataDir>/data.db}) in WAL mode, written by
 * one thread, with numbered migrations and rotated backups. It mirrors the fabric's registry (apps,
 * pools, membership), memory-block metadata and server settings; nothing on the call path touches
 * it. Used by {@link io.tokenworks.latzero.LatZeroFabric}; embedders do not need it directly.
 */
package io.tokenworks.latzero.store;
