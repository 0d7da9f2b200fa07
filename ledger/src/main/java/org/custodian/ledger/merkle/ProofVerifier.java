package org.custodian.ledger.merkle;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Strict verification of inclusion proofs (RFC 9162 section 2.1.3.2) and consistency proofs (RFC
 * 9162 section 2.1.4.2).
 *
 * <p>Beyond the RFC algorithms, verification MUST fail, with a {@link ProofException} stating the
 * reason, when:
 *
 * <ul>
 *   <li>any hash (leaf hash, each proof element, each root) is not exactly 32 bytes, or a proof
 *       element is null;
 *   <li>an index or size is negative, {@code index >= size}, or {@code oldSize > newSize};
 *   <li>the proof is not exactly as long as the proof RFC 9162 defines for those sizes: a proof with
 *       extra or missing elements is rejected even if a prefix of it would verify.
 * </ul>
 *
 * <p>Being strict about lengths means a verified proof has exactly one encoding, so two auditors
 * who accept a proof have accepted the same bytes. Null arguments other than proof elements are
 * programming errors and throw NullPointerException. Methods are thread-safe.
 */
public final class ProofVerifier {
  private static final int H = Hashes.HASH_SIZE;

  private ProofVerifier() {}

  /**
   * Verifies that {@code leafHash} is the leaf at {@code index} in the tree of size {@code size}
   * with root {@code root}, following RFC 9162 section 2.1.3.2.
   *
   * @throws ProofException with the reason if any check fails
   */
  public static void verifyInclusion(
      byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root)
      throws ProofException {
    Objects.requireNonNull(leafHash, "leafHash is null");
    Objects.requireNonNull(proof, "proof is null");
    Objects.requireNonNull(root, "root is null");
    checkHash(leafHash, "leaf hash");
    checkHash(root, "root");
    checkProofElements(proof);
    if (index < 0) {
      throw new ProofException("index " + index + " is negative");
    }
    if (size < 0) {
      throw new ProofException("tree size " + size + " is negative");
    }
    if (index >= size) {
      throw new ProofException("index " + index + " is not less than tree size " + size);
    }
    int expected = ProofBuilder.inclusionRanges(index, size).size();
    if (proof.size() != expected) {
      throw new ProofException(
          "proof has "
              + hashes(proof.size())
              + ", expected "
              + expected
              + " for index "
              + index
              + " in a tree of size "
              + size);
    }

    // RFC 9162 section 2.1.3.2, step by step: fn walks the leaf's path, sn the tree's right edge.
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new ProofException("proof is longer than the path from the leaf to the root");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Hashes.nodeHash(p, r);
        if ((fn & 1) == 0) {
          // fn is the last node of its level: skip the levels where it has no right sibling.
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = Hashes.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException("proof is shorter than the path from the leaf to the root");
    }
    requireEqual(r, root, "calculated root", "expected root");
  }

  /**
   * Verifies that the tree of size {@code oldSize} with root {@code oldRoot} is a prefix of the
   * tree of size {@code newSize} with root {@code newRoot}, following RFC 9162 section 2.1.4.2.
   *
   * <p>RFC 9162 defines consistency proofs only for {@code 0 < oldSize < newSize}. The two edge
   * cases are decided as follows, and MUST be relied on as stated:
   *
   * <ul>
   *   <li><b>oldSize == 0</b>: the proof MUST be empty and {@code oldRoot} MUST equal the
   *       empty-tree root SHA-256("") (RFC 9162 section 2.1.1 defines the hash of the empty list as
   *       the hash of the empty string). transparency-dev/merkle accepts any old root here; this
   *       verifier is stricter, so that a claimed empty tree is the real empty tree. The new root
   *       must still be 32 bytes, but any such root is consistent with the empty tree.
   *   <li><b>oldSize == newSize</b>: the proof MUST be empty and the two roots MUST be equal (so
   *       from size 0 to size 0 both roots MUST be SHA-256("")).
   * </ul>
   *
   * @throws ProofException with the reason if any check fails
   */
  public static void verifyConsistency(
      long oldSize, long newSize, List<byte[]> proof, byte[] oldRoot, byte[] newRoot)
      throws ProofException {
    Objects.requireNonNull(proof, "proof is null");
    Objects.requireNonNull(oldRoot, "oldRoot is null");
    Objects.requireNonNull(newRoot, "newRoot is null");
    checkHash(oldRoot, "old root");
    checkHash(newRoot, "new root");
    checkProofElements(proof);
    if (oldSize < 0) {
      throw new ProofException("old size " + oldSize + " is negative");
    }
    if (newSize < 0) {
      throw new ProofException("new size " + newSize + " is negative");
    }
    if (oldSize > newSize) {
      throw new ProofException("old size " + oldSize + " is greater than new size " + newSize);
    }
    int expected = ProofBuilder.consistencyRanges(oldSize, newSize).size();
    if (proof.size() != expected) {
      throw new ProofException(
          "proof has "
              + hashes(proof.size())
              + ", expected "
              + expected
              + " from size "
              + oldSize
              + " to size "
              + newSize);
    }
    if (oldSize == 0) {
      requireEqual(oldRoot, Hashes.emptyRoot(), "old root of size 0", "empty-tree root SHA-256(\"\")");
    }
    if (oldSize == newSize) {
      requireEqual(oldRoot, newRoot, "old root", "new root of the same size");
    }
    if (oldSize == 0 || oldSize == newSize) {
      return;
    }

    // RFC 9162 section 2.1.4.2, step by step. When oldSize is a power of two the old tree is a
    // perfect subtree of the new one and its root, which the proof leaves out, is the seed.
    int next = 0;
    byte[] seed;
    if (Long.bitCount(oldSize) == 1) {
      seed = oldRoot;
    } else {
      seed = proof.get(next++);
    }
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = seed;
    byte[] sr = seed;
    for (; next < proof.size(); next++) {
      byte[] c = proof.get(next);
      if (sn == 0) {
        throw new ProofException("proof is longer than the path to the new root");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Hashes.nodeHash(c, fr);
        sr = Hashes.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = Hashes.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException("proof is shorter than the path to the new root");
    }
    requireEqual(fr, oldRoot, "calculated old root", "expected old root");
    requireEqual(sr, newRoot, "calculated new root", "expected new root");
  }

  private static void checkHash(byte[] h, String what) throws ProofException {
    if (h.length != H) {
      throw new ProofException(what + " has " + h.length + " bytes, expected " + H);
    }
  }

  private static void checkProofElements(List<byte[]> proof) throws ProofException {
    for (int i = 0; i < proof.size(); i++) {
      byte[] p = proof.get(i);
      if (p == null) {
        throw new ProofException("proof element " + i + " is null");
      }
      checkHash(p, "proof element " + i);
    }
  }

  private static void requireEqual(byte[] actual, byte[] expected, String a, String e)
      throws ProofException {
    // Constant-time comparison costs nothing here and removes a question from every review.
    if (!MessageDigest.isEqual(actual, expected)) {
      throw new ProofException(
          a + " " + Hashes.hex(actual) + " does not match the " + e + " " + Hashes.hex(expected));
    }
  }

  private static String hashes(int n) {
    return n == 1 ? "1 hash" : n + " hashes";
  }
}
