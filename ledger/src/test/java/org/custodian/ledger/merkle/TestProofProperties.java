package org.custodian.ledger.merkle;

import static org.custodian.ledger.merkle.TestRfc6962ReferenceTree.assertProofEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Seeded random trees of up to a few thousand leaves: MerkleTree, ProofBuilder over it and the
 * literal RFC recursion agree on roots and proofs; every proof verifies; any wrong index, size,
 * root or leaf is rejected. A failure message names the seed to replay.
 */
class TestProofProperties {
  private static final long BASE_SEED = 0x5eed_6962L;

  /** Sizes cluster around powers of two, where off-by-one errors live. */
  static int randomSize(SplittableRandom r, int max) {
    if (max > 1 && r.nextInt(3) == 0) {
      int log = 31 - Integer.numberOfLeadingZeros(max);
      int p = (1 << r.nextInt(log + 1)) + r.nextInt(-2, 3);
      return Math.max(1, Math.min(max, p));
    }
    return r.nextInt(1, max + 1);
  }

  static List<byte[]> randomLeaves(SplittableRandom r, int n) {
    List<byte[]> leaves = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[r.nextInt(0, 40)];
      r.nextBytes(data);
      // Prefix the index so that no two leaves are equal, which would make "wrong leaf" valid.
      byte[] unique = new byte[data.length + 4];
      unique[0] = (byte) (i >>> 24);
      unique[1] = (byte) (i >>> 16);
      unique[2] = (byte) (i >>> 8);
      unique[3] = (byte) i;
      System.arraycopy(data, 0, unique, 4, data.length);
      leaves.add(Hashes.leafHash(unique));
    }
    return leaves;
  }

  @RepeatedTest(40)
  void rootsAndInclusionProofsAgreeWithTheRfcAndVerify(RepetitionInfo rep) throws Exception {
    long seed = BASE_SEED + rep.getCurrentRepetition();
    SplittableRandom r = new SplittableRandom(seed);
    int n = randomSize(r, 3000);
    List<byte[]> leaves = randomLeaves(r, n);
    MerkleTree tree = new MerkleTree();
    leaves.forEach(tree::append);

    for (int q = 0; q < 20; q++) {
      int size = q == 0 ? n : randomSize(r, n);
      int index = q == 1 ? size - 1 : r.nextInt(size);
      String what = "seed " + seed + " index " + index + " size " + size;
      List<byte[]> prefix = leaves.subList(0, size);
      byte[] root = NaiveRfcTree.mth(prefix);
      assertArrayEquals(root, tree.root(size), what);
      assertArrayEquals(root, ProofBuilder.root(size, tree), what);

      List<byte[]> proof = tree.inclusion(index, size);
      assertProofEquals(NaiveRfcTree.path(index, prefix), proof, what);
      assertProofEquals(proof, ProofBuilder.inclusion(index, size, tree), what);
      ProofVerifier.verifyInclusion(leaves.get(index), index, size, proof, root);

      int otherIndex = (index + 1 + r.nextInt(size == 1 ? 1 : size - 1)) % size;
      if (otherIndex != index) {
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(leaves.get(index), otherIndex, size, proof, root), what);
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(leaves.get(otherIndex), index, size, proof, root), what);
      }
      int otherSize = randomSize(r, n);
      if (otherSize != size && index < otherSize
          && !TestRfc6962ReferenceTree.hexes(proof).equals(
              TestRfc6962ReferenceTree.hexes(tree.inclusion(index, otherSize)))) {
        byte[] otherRoot = tree.root(otherSize);
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(leaves.get(index), index, otherSize, proof, otherRoot), what);
      }
      byte[] wrongRoot = root.clone();
      wrongRoot[r.nextInt(32)] ^= (byte) (1 << r.nextInt(8));
      assertThrows(ProofException.class, () ->
          ProofVerifier.verifyInclusion(leaves.get(index), index, size, proof, wrongRoot), what);
    }
  }

  @RepeatedTest(40)
  void consistencyProofsAgreeWithTheRfcAndVerify(RepetitionInfo rep) throws Exception {
    long seed = BASE_SEED * 31 + rep.getCurrentRepetition();
    SplittableRandom r = new SplittableRandom(seed);
    int n = randomSize(r, 3000);
    List<byte[]> leaves = randomLeaves(r, n);
    MerkleTree tree = new MerkleTree();
    leaves.forEach(tree::append);

    for (int q = 0; q < 20; q++) {
      int newSize = q == 0 ? n : randomSize(r, n);
      int oldSize = q == 1 ? newSize : q == 2 ? 0 : r.nextInt(newSize + 1);
      String what = "seed " + seed + " sizes " + oldSize + " -> " + newSize;
      byte[] oldRoot = NaiveRfcTree.mth(leaves.subList(0, oldSize));
      byte[] newRoot = NaiveRfcTree.mth(leaves.subList(0, newSize));

      List<byte[]> proof = tree.consistency(oldSize, newSize);
      if (oldSize > 0 && oldSize < newSize) {
        assertProofEquals(NaiveRfcTree.proof(oldSize, leaves.subList(0, newSize)), proof, what);
      } else {
        assertProofEquals(List.of(), proof, what);
      }
      assertProofEquals(proof, ProofBuilder.consistency(oldSize, newSize, tree), what);
      ProofVerifier.verifyConsistency(oldSize, newSize, proof, oldRoot, newRoot);

      if (oldSize > 0 && oldSize < newSize) {
        // The old tree's root is swapped for a different size's: a different tree.
        int otherOld = r.nextInt(1, newSize);
        if (otherOld != oldSize) {
          byte[] otherRoot = tree.root(otherOld);
          assertThrows(ProofException.class, () ->
              ProofVerifier.verifyConsistency(oldSize, newSize, proof, otherRoot, newRoot), what);
          if (!TestRfc6962ReferenceTree.hexes(proof).equals(
              TestRfc6962ReferenceTree.hexes(tree.consistency(otherOld, newSize)))) {
            assertThrows(ProofException.class, () ->
                ProofVerifier.verifyConsistency(otherOld, newSize, proof, otherRoot, newRoot), what);
          }
        }
        byte[] wrongNew = newRoot.clone();
        wrongNew[r.nextInt(32)] ^= 0x40;
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyConsistency(oldSize, newSize, proof, oldRoot, wrongNew), what);
        byte[] wrongOld = oldRoot.clone();
        wrongOld[r.nextInt(32)] ^= 0x02;
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyConsistency(oldSize, newSize, proof, wrongOld, newRoot), what);
      }
    }
  }

  @RepeatedTest(10)
  void everyIndexOfASmallTreeHasAVerifyingProofMatchingTheRfc(RepetitionInfo rep) throws Exception {
    long seed = BASE_SEED * 7 + rep.getCurrentRepetition();
    SplittableRandom r = new SplittableRandom(seed);
    int n = r.nextInt(1, 70);
    List<byte[]> leaves = randomLeaves(r, n);
    MerkleTree tree = new MerkleTree();
    leaves.forEach(tree::append);
    for (int size = 1; size <= n; size++) {
      byte[] root = tree.root(size);
      for (int index = 0; index < size; index++) {
        List<byte[]> proof = tree.inclusion(index, size);
        assertProofEquals(NaiveRfcTree.path(index, leaves.subList(0, size)), proof,
            "seed " + seed + " " + index + "/" + size);
        ProofVerifier.verifyInclusion(leaves.get(index), index, size, proof, root);
      }
      for (int old = 1; old < size; old++) {
        List<byte[]> proof = tree.consistency(old, size);
        assertProofEquals(NaiveRfcTree.proof(old, leaves.subList(0, size)), proof,
            "seed " + seed + " " + old + "->" + size);
        ProofVerifier.verifyConsistency(old, size, proof, tree.root(old), root);
      }
    }
  }
}
