package org.custodian.ledger.merkle;

import java.util.List;

/**
 * An in-memory, append-only Merkle tree (RFC 9162 section 2.1) over leaf hashes, with roots and
 * proofs for the current size and for every earlier size.
 *
 * <p>Used by the offline auditor (for example the root of a file with one leaf per line) and as
 * the reference implementation in tests. It keeps the leaf hashes and every fourth level of
 * completed perfect subtrees (levels 0, 4, 8, ...), computing the three levels in between with at
 * most seven hashes per node: about 34 bytes per leaf instead of 64 for all levels, while a root
 * or proof still costs O(log n) work at any size. Appending costs amortised O(1) hashes.
 *
 * <p>Not thread-safe: callers MUST confine an instance to one thread or synchronise externally.
 * Every returned array is a fresh copy.
 */
public final class MerkleTree implements NodeReader {
  private static final int STRIDE = 4; // materialise levels 0, 4, 8, ...
  private static final int FAN_IN = 1 << STRIDE;
  private static final int MAX_LEVEL = 62; // the highest perfect subtree in a tree of < 2^63 leaves

  // stored[s] holds the hashes of level STRIDE * s, in index order, for completed subtrees only.
  private final HashStore[] stored = new HashStore[MAX_LEVEL / STRIDE + 1];
  private long size;

  /** Creates an empty tree. */
  public MerkleTree() {
    stored[0] = new HashStore();
  }

  /**
   * Appends one leaf, given as its RFC 9162 leaf hash (see {@link Hashes#leafHash}).
   *
   * @throws IllegalArgumentException if {@code leafHash} is not 32 bytes
   * @throws IllegalStateException if the tree already holds {@link Long#MAX_VALUE} leaves
   */
  public void append(byte[] leafHash) {
    Hashes.checkHash(leafHash, "leaf hash");
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("tree is full");
    }
    stored[0].add(leafHash);
    size++;
    // Each time a stored level gains its FAN_IN-th, 2*FAN_IN-th... entry, the subtree STRIDE
    // levels above is complete: hash it now, from the FAN_IN entries just below it.
    for (int s = 0; stored[s].size() % FAN_IN == 0; s++) {
      long parent = stored[s].size() / FAN_IN - 1;
      if (stored[s + 1] == null) {
        stored[s + 1] = new HashStore();
      }
      stored[s + 1].add(hashUp(s, parent, STRIDE));
    }
  }

  /** Returns the number of leaves. */
  public long size() {
    return size;
  }

  /** Returns the root of the current tree; SHA-256("") when empty. */
  public byte[] root() {
    return ProofBuilder.rangeHash(0, size, this::nodeUnchecked);
  }

  /**
   * Returns the root of the tree of the first {@code size} leaves.
   *
   * @throws IllegalArgumentException unless {@code 0 <= size <= size()}
   */
  public byte[] root(long size) {
    checkSize(size, "size");
    return ProofBuilder.rangeHash(0, size, this::nodeUnchecked);
  }

  /**
   * Returns the inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves
   * (RFC 9162 section 2.1.3.1).
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size <= size()}
   */
  public List<byte[]> inclusion(long index, long size) {
    checkSize(size, "size");
    ProofBuilder.checkInclusionArguments(index, size);
    return ProofBuilder.hashes(ProofBuilder.inclusionRanges(index, size), this::nodeUnchecked);
  }

  /**
   * Returns the consistency proof from the tree of the first {@code m} leaves to that of the first
   * {@code n} (RFC 9162 section 2.1.4.1); empty when {@code m} is 0 or equals {@code n}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= m <= n <= size()}
   */
  public List<byte[]> consistency(long m, long n) {
    checkSize(n, "new size");
    ProofBuilder.checkConsistencyArguments(m, n);
    return ProofBuilder.hashes(ProofBuilder.consistencyRanges(m, n), this::nodeUnchecked);
  }

  /**
   * Returns the leaf hash at {@code index}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size()}
   */
  public byte[] leafHash(long index) {
    return node(0, index);
  }

  /**
   * Returns the hash of the perfect subtree of height {@code level} covering leaves {@code [index <<
   * level, (index + 1) << level)}.
   *
   * @throws IllegalArgumentException if that subtree is not entirely inside the tree
   */
  @Override
  public byte[] node(int level, long index) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("level " + level + " is not in 0.." + MAX_LEVEL);
    }
    if (index < 0 || index >= (size >>> level)) {
      throw new IllegalArgumentException(
          "no complete subtree at level " + level + " index " + index + " in a tree of size " + size);
    }
    return nodeUnchecked(level, index);
  }

  private byte[] nodeUnchecked(int level, long index) {
    int s = level / STRIDE;
    int above = level % STRIDE;
    return above == 0 ? stored[s].get(index) : hashUp(s, index, above);
  }

  /**
   * Hashes the 2^height consecutive entries of stored level s that make up the subtree {@code
   * height} levels higher with the given index.
   */
  private byte[] hashUp(int s, long index, int height) {
    int n = 1 << height;
    byte[][] row = new byte[n][];
    long first = index << height;
    for (int i = 0; i < n; i++) {
      row[i] = stored[s].get(first + i);
    }
    for (; n > 1; n /= 2) {
      for (int i = 0; i < n / 2; i++) {
        row[i] = Hashes.nodeHash(row[2 * i], row[2 * i + 1]);
      }
    }
    return row[0];
  }

  private void checkSize(long requested, String what) {
    if (requested < 0 || requested > size) {
      throw new IllegalArgumentException(
          what + " " + requested + " is not in 0.." + size + " (the tree's size)");
    }
  }
}
