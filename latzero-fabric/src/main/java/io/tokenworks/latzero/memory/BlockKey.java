package io.tokenworks.latzero.memory;

/** A block's identity: its pool and its name there, both checked. */
record BlockKey(String pool, String block) {

  static BlockKey of(String pool, String block) {
    BlockNames.checkPool(pool);
    BlockNames.checkBlock(block);
    return new BlockKey(pool, block);
  }

  @Override
  public String toString() {
    return pool + "/" + block;
  }
}
