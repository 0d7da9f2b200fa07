package org.custodian.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks hashing, roots and proofs against the RFC 6962 reference tree of transparency-dev/merkle
 * (shared/data/tlog/rfc6962_reference_tree.json): values computed independently of this code.
 */
class TestRfc6962ReferenceTree {
  private final ReferenceTree ref = ReferenceTree.load();
  private final MerkleTree tree = ref.tree();

  private List<byte[]> leafHashes() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] input : ref.leafInputs) {
      out.add(Hashes.leafHash(input));
    }
    return out;
  }

  @Test
  void referenceDataIsComplete() {
    assertEquals(8, ref.leafInputs.size());
    assertEquals(4, ref.nodeHashesByLevel.size());
    assertEquals(9, ref.rootsBySize.size());
    assertFalse(ref.inclusion.isEmpty());
    assertFalse(ref.consistency.isEmpty());
    assertEquals(4, ref.hasherVectors.size());
  }

  @Test
  void leafHashesMatchTheReferenceLevelZero() {
    for (int i = 0; i < ref.leafInputs.size(); i++) {
      assertArrayEquals(ref.nodeHashesByLevel.get(0).get(i), Hashes.leafHash(ref.leafInputs.get(i)));
      assertArrayEquals(ref.nodeHashesByLevel.get(0).get(i), tree.leafHash(i));
    }
    for (ReferenceTree.InclusionCase c : ref.inclusion) {
      assertArrayEquals(c.leafHash(), Hashes.leafHash(c.leafInput()));
    }
  }

  @Test
  void everyReferenceNodeHashMatches() {
    for (int level = 0; level < ref.nodeHashesByLevel.size(); level++) {
      List<byte[]> row = ref.nodeHashesByLevel.get(level);
      for (int i = 0; i < row.size(); i++) {
        assertArrayEquals(row.get(i), tree.node(level, i), "level " + level + " index " + i);
      }
    }
  }

  @Test
  void everyReferenceRootMatches() throws Exception {
    List<byte[]> leaves = leafHashes();
    for (var e : ref.rootsBySize.entrySet()) {
      int size = e.getKey().intValue();
      assertArrayEquals(e.getValue(), tree.root(size), "MerkleTree size " + size);
      assertArrayEquals(e.getValue(), ProofBuilder.root(size, tree), "ProofBuilder size " + size);
      assertArrayEquals(e.getValue(), NaiveRfcTree.mth(leaves.subList(0, size)), "naive " + size);
    }
    assertArrayEquals(ref.rootsBySize.get(8L), tree.root());
  }

  @Test
  void referenceInclusionProofsAreGeneratedByteForByteAndVerify() throws Exception {
    for (ReferenceTree.InclusionCase c : ref.inclusion) {
      String what = "index " + c.leafIndex() + " size " + c.treeSize();
      assertProofEquals(c.proof(), tree.inclusion(c.leafIndex(), c.treeSize()), what);
      assertProofEquals(c.proof(), ProofBuilder.inclusion(c.leafIndex(), c.treeSize(), tree), what);
      assertProofEquals(c.proof(),
          NaiveRfcTree.path((int) c.leafIndex(), leafHashes().subList(0, (int) c.treeSize())), what);
      assertArrayEquals(ref.rootsBySize.get(c.treeSize()), c.root(), what);
      assertDoesNotThrow(() ->
          ProofVerifier.verifyInclusion(c.leafHash(), c.leafIndex(), c.treeSize(), c.proof(), c.root()),
          what);
    }
  }

  @Test
  void referenceConsistencyProofsAreGeneratedByteForByteAndVerify() throws Exception {
    for (ReferenceTree.ConsistencyCase c : ref.consistency) {
      String what = "sizes " + c.size1() + " -> " + c.size2();
      assertProofEquals(c.proof(), tree.consistency(c.size1(), c.size2()), what);
      assertProofEquals(c.proof(), ProofBuilder.consistency(c.size1(), c.size2(), tree), what);
      if (c.size1() < c.size2()) {
        assertProofEquals(c.proof(),
            NaiveRfcTree.proof((int) c.size1(), leafHashes().subList(0, (int) c.size2())), what);
      }
      assertDoesNotThrow(() ->
          ProofVerifier.verifyConsistency(c.size1(), c.size2(), c.proof(), c.root1(), c.root2()),
          what);
    }
  }

  @Test
  void everySingleByteMutationTruncationOrExtensionOfAReferenceInclusionProofIsRejected() {
    int checked = 0;
    for (ReferenceTree.InclusionCase c : ref.inclusion) {
      for (List<byte[]> bad : ProofMutations.of(c.proof())) {
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(c.leafHash(), c.leafIndex(), c.treeSize(), bad, c.root()));
        checked++;
      }
      for (byte[] badLeaf : ProofMutations.ofHash(c.leafHash())) {
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(badLeaf, c.leafIndex(), c.treeSize(), c.proof(), c.root()));
      }
      for (byte[] badRoot : ProofMutations.ofHash(c.root())) {
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(c.leafHash(), c.leafIndex(), c.treeSize(), c.proof(), badRoot));
      }
    }
    assertFalse(checked == 0);
  }

  @Test
  void everySingleByteMutationTruncationOrExtensionOfAReferenceConsistencyProofIsRejected() {
    for (ReferenceTree.ConsistencyCase c : ref.consistency) {
      for (List<byte[]> bad : ProofMutations.of(c.proof())) {
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyConsistency(c.size1(), c.size2(), bad, c.root1(), c.root2()));
      }
      for (byte[] badRoot : ProofMutations.ofHash(c.root1())) {
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyConsistency(c.size1(), c.size2(), c.proof(), badRoot, c.root2()));
      }
      for (byte[] badRoot : ProofMutations.ofHash(c.root2())) {
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyConsistency(c.size1(), c.size2(), c.proof(), c.root1(), badRoot));
      }
    }
  }

  @Test
  void everyProofInTheReferenceTreeMatchesTheNaiveRfcAndVerifies() throws Exception {
    List<byte[]> leaves = leafHashes();
    for (int size = 1; size <= 8; size++) {
      byte[] root = ref.rootsBySize.get((long) size);
      for (int index = 0; index < size; index++) {
        List<byte[]> proof = tree.inclusion(index, size);
        assertProofEquals(NaiveRfcTree.path(index, leaves.subList(0, size)), proof, index + "/" + size);
        ProofVerifier.verifyInclusion(leaves.get(index), index, size, proof, root);
      }
      for (int old = 0; old <= size; old++) {
        List<byte[]> proof = tree.consistency(old, size);
        if (old > 0 && old < size) {
          assertProofEquals(NaiveRfcTree.proof(old, leaves.subList(0, size)), proof, old + "->" + size);
        } else {
          assertEquals(List.of(), proof);
        }
        ProofVerifier.verifyConsistency(old, size, proof, ref.rootsBySize.get((long) old), root);
      }
    }
  }

  static void assertProofEquals(List<byte[]> expected, List<byte[]> actual, String what) {
    assertEquals(hexes(expected), hexes(actual), what);
  }

  static List<String> hexes(List<byte[]> proof) {
    List<String> out = new ArrayList<>();
    for (byte[] h : proof) {
      out.add(Hashes.hex(h));
    }
    return out;
  }
}
