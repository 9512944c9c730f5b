package io.tokenworks.latzero.security;

/**
 * What the keys presented for an encrypted pool allow. Each key-granted capability needs the
 * SigilKey as well as its own key (the documented hierarchy: read = join + read, write = join +
 * write). Upstream's ADMIN bit is not granted by keys; pool policies decide it.
 */
public enum Capability {
  /** Join the pool and use its triggers: the SigilKey. */
  JOIN(1),
  /** Read (decrypt) the pool's data: the SigilKey and the CipherShard. */
  READ(2),
  /** Write the pool's data: the SigilKey and the OblivionSeal. */
  WRITE(4);

  private final int bit;

  Capability(int bit) {
    this.bit = bit;
  }

  /** Upstream's permission bit (JOIN=1, READ=2, WRITE=4), for clients that expect the bitmask. */
  public int bit() {
    return bit;
  }
}
