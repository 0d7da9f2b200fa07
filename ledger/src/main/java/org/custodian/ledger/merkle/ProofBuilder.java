package org.custodian.ledger.merkle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Computes Merkle tree hashes, inclusion proofs and consistency proofs as defined by RFC 9162
 * section 2.1.1 (MTH), section 2.1.3.1 (PATH) and section 2.1.4.1 (PROOF / SUBPROOF), over any
 * {@link NodeReader}.
 *
 * <p>Every hash these methods need is either a perfect subtree, read with one {@link
 * NodeReader#node} call, or the "ephemeral" hash of a right-edge subtree that is not perfect,
 * assembled from the perfect subtrees it decomposes into. A proof in a tree of size n therefore
 * costs O(log n) node reads and hashes, whatever n.
 *
 * <p>Callers MUST pass sizes no larger than the tree the reader serves: the methods ask the reader
 * only for subtrees inside {@code [0, size)}, and cannot know the reader's tree size. Proof lists
 * are unmodifiable and in RFC 9162 order (nearest the leaf first); their arrays belong to the
 * caller.
 */
public final class ProofBuilder {
  private ProofBuilder() {}

  /**
   * A {@link NodeReader} generic in its exception, so that the in-memory {@link MerkleTree}, which
   * cannot fail, shares these algorithms without pretending to throw IOException.
   */
  @FunctionalInterface
  interface NodeSource<X extends Exception> {
    byte[] node(int level, long index) throws X;
  }

  /** The leaf range {@code [start, end)} of one subtree whose hash is a proof element. */
  record Range(long start, long end) {}

  /**
   * Returns MTH(D[0:size]), the root of the tree of the first {@code size} leaves; the empty-tree
   * root SHA-256("") when {@code size} is 0 (RFC 9162 section 2.1.1).
   *
   * @throws IllegalArgumentException if {@code size} is negative
   * @throws IOException if the reader fails or returns a hash that is not 32 bytes
   */
  public static byte[] root(long size, NodeReader r) throws IOException {
    checkNotNegative(size, "size");
    return rangeHash(0, size, checked(r));
  }

  /**
   * Returns MTH(D[start:end]), the Merkle tree hash of the leaves {@code [start, end)} taken as a
   * tree of their own (RFC 9162 section 2.1.1); SHA-256("") when the range is empty. This is how
   * the "ephemeral" nodes on the right edge of a tree are computed.
   *
   * <p>It costs O(log(end - start)) node reads when {@code start} is a multiple of the smallest
   * power of two not less than {@code end - start}, which holds for every subtree that occurs in a
   * tree and its proofs. Other ranges get the same, correct, result, at up to {@code end - start}
   * reads.
   *
   * @throws IllegalArgumentException unless {@code 0 <= start <= end}
   * @throws IOException if the reader fails or returns a hash that is not 32 bytes
   */
  public static byte[] subtreeRoot(long start, long end, NodeReader r) throws IOException {
    checkNotNegative(start, "start");
    if (end < start) {
      throw new IllegalArgumentException("end " + end + " is less than start " + start);
    }
    return rangeHash(start, end, checked(r));
  }

  /**
   * Returns the inclusion proof PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   * @throws IOException if the reader fails or returns a hash that is not 32 bytes
   */
  public static List<byte[]> inclusion(long index, long size, NodeReader r) throws IOException {
    checkInclusionArguments(index, size);
    return hashes(inclusionRanges(index, size), checked(r));
  }

  /**
   * Returns the consistency proof PROOF(oldSize, D[0:newSize]) of RFC 9162 section 2.1.4.1. RFC
   * 9162 defines it for {@code 0 < oldSize < newSize}; for {@code oldSize == 0} or {@code oldSize ==
   * newSize} the proof is empty, matching what {@link ProofVerifier#verifyConsistency} accepts.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize}
   * @throws IOException if the reader fails or returns a hash that is not 32 bytes
   */
  public static List<byte[]> consistency(long oldSize, long newSize, NodeReader r)
      throws IOException {
    checkConsistencyArguments(oldSize, newSize);
    return hashes(consistencyRanges(oldSize, newSize), checked(r));
  }

  // ---- shared with MerkleTree and ProofVerifier ----

  static void checkInclusionArguments(long index, long size) {
    checkNotNegative(index, "index");
    if (index >= size) {
      throw new IllegalArgumentException(
          "index " + index + " is not less than tree size " + size);
    }
  }

  static void checkConsistencyArguments(long oldSize, long newSize) {
    checkNotNegative(oldSize, "old size");
    if (oldSize > newSize) {
      throw new IllegalArgumentException(
          "old size " + oldSize + " is greater than new size " + newSize);
    }
  }

  static <X extends Exception> byte[] rangeHash(long start, long end, NodeSource<X> r) throws X {
    long size = end - start;
    if (size == 0) {
      return Hashes.emptyRoot();
    }
    if (Long.bitCount(size) == 1 && (start & (size - 1)) == 0) {
      // An aligned power-of-two range is a perfect subtree: one read, no hashing.
      int level = Long.numberOfTrailingZeros(size);
      return r.node(level, start >>> level);
    }
    // MTH splits at the largest power of two k < size (RFC 9162 section 2.1.1). When the range is
    // aligned, the left half is a perfect subtree and only the right half recurses, so the depth
    // is at most log2(size).
    long k = Long.highestOneBit(size - 1);
    byte[] left = rangeHash(start, start + k, r);
    return Hashes.nodeHash(left, rangeHash(start + k, end, r));
  }

  static <X extends Exception> List<byte[]> hashes(List<Range> ranges, NodeSource<X> r) throws X {
    List<byte[]> out = new ArrayList<>(ranges.size());
    for (Range range : ranges) {
      out.add(rangeHash(range.start(), range.end(), r));
    }
    return List.copyOf(out);
  }

  /**
   * The subtrees of PATH(index, D[0:size]), in proof order. This is RFC 9162's recursion unrolled:
   * walking down from the root, each split contributes the subtree that does not hold the leaf,
   * and the proof lists them from the bottom up.
   */
  static List<Range> inclusionRanges(long index, long size) {
    List<Range> topDown = new ArrayList<>();
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = Long.highestOneBit(hi - lo - 1);
      if (index < lo + k) {
        topDown.add(new Range(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(new Range(lo, lo + k));
        lo += k;
      }
    }
    return reversed(topDown);
  }

  /**
   * The subtrees of PROOF(oldSize, D[0:newSize]) = SUBPROOF(oldSize, D[0:newSize], true), in proof
   * order; empty when oldSize is 0 or equals newSize. RFC 9162's recursion unrolled as above; the
   * flag b records whether the old tree is still a left prefix of the current range, in which case
   * its root is known to the verifier and is left out.
   */
  static List<Range> consistencyRanges(long oldSize, long newSize) {
    if (oldSize == 0 || oldSize == newSize) {
      return List.of();
    }
    List<Range> topDown = new ArrayList<>();
    long lo = 0;
    long hi = newSize;
    boolean b = true;
    while (oldSize != hi) {
      long k = Long.highestOneBit(hi - lo - 1);
      if (oldSize <= lo + k) {
        topDown.add(new Range(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(new Range(lo, lo + k));
        lo += k;
        b = false;
      }
    }
    if (!b) {
      topDown.add(new Range(lo, hi));
    }
    return reversed(topDown);
  }

  private static List<Range> reversed(List<Range> topDown) {
    List<Range> out = new ArrayList<>(topDown.size());
    for (int i = topDown.size() - 1; i >= 0; i--) {
      out.add(topDown.get(i));
    }
    return List.copyOf(out);
  }

  private static void checkNotNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " " + value + " is negative");
    }
  }

  /** Adapts a public reader, turning a malformed answer into an IOException at its source. */
  private static NodeSource<IOException> checked(NodeReader r) {
    Objects.requireNonNull(r, "r is null");
    return (level, index) -> {
      byte[] h = r.node(level, index);
      if (h == null || h.length != Hashes.HASH_SIZE) {
        throw new IOException(
            "node reader returned "
                + (h == null ? "null" : h.length + " bytes")
                + " for the node at level "
                + level
                + " index "
                + index
                + ", expected a 32-byte hash");
      }
      return h;
    };
  }
}
