package org.custodian.ledger.tiles;

import java.io.IOException;

/**
 * Reads stored Merkle tree tiles (C2SP tlog-tiles, section "Merkle Tree"). This is the storage
 * side's one-method contract with {@link TileNodeReader} and {@link TileBuilder#resume}.
 */
@FunctionalInterface
public interface TileReader {
  /**
   * Returns the concatenated 32-byte hashes of tile ({@code level}, {@code index}).
   *
   * <p>Implementations MUST return at least {@code minWidth} hashes. More is fine: a full tile or a
   * wider partial tile, since a narrower tile is always a prefix of a wider one. Implementations
   * MUST return only tiles of trees the log has committed to, and MUST NOT return an array they
   * will modify later. They MUST throw IOException if no such tile is stored.
   *
   * @param minWidth the number of hashes the caller needs, 1..256
   */
  byte[] readTile(int level, long index, int minWidth) throws IOException;
}
