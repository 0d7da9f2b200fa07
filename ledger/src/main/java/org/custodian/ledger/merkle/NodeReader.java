package org.custodian.ledger.merkle;

import java.io.IOException;

/**
 * Source of perfect-subtree hashes of one Merkle tree (RFC 9162 section 2.1.1), the only thing
 * {@link ProofBuilder} needs to compute roots and proofs. Implemented in memory by {@link
 * MerkleTree} and over stored C2SP tiles by {@code org.custodian.ledger.tiles.TileNodeReader}.
 */
@FunctionalInterface
public interface NodeReader {
  /**
   * Returns the hash of a perfect subtree.
   *
   * <p>{@code node(level, index)} MUST return the hash of the perfect subtree of height {@code
   * level} covering leaves {@code [index << level, (index + 1) << level)}; level 0 is the leaf
   * hashes. Implementations MUST return a 32-byte array the caller may keep (a fresh copy or an
   * array never modified afterwards). Callers MUST only ask for subtrees entirely inside the tree.
   *
   * @throws IOException if the hash cannot be read from storage
   */
  byte[] node(int level, long index) throws IOException;
}
