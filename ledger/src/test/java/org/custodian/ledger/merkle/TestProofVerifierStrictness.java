package org.custodian.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Verification fails, with a reason, on anything but exactly the RFC 9162 proof. */
class TestProofVerifierStrictness {
  private static final int SIZE = 8;
  private final MerkleTree tree = ReferenceTree.load().tree();
  private final byte[] root = tree.root();
  private final byte[] leaf5 = tree.leafHash(5);
  private final List<byte[]> proof5 = tree.inclusion(5, SIZE);

  private static void rejected(String reasonFragment, Executable verification) {
    ProofException e = assertThrows(ProofException.class, verification);
    assertTrue(e.getMessage().contains(reasonFragment),
        "expected a reason containing \"" + reasonFragment + "\", got \"" + e.getMessage() + "\"");
  }

  private static List<byte[]> with(List<byte[]> proof, int at, byte[] element) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.set(at, element);
    return copy;
  }

  @Test
  void theUnmodifiedProofVerifies() {
    assertDoesNotThrow(() -> ProofVerifier.verifyInclusion(leaf5, 5, SIZE, proof5, root));
  }

  @Test
  void inclusionRejectsLeafHashesOf31And33Bytes() {
    rejected("leaf hash has 31 bytes, expected 32", () ->
        ProofVerifier.verifyInclusion(Arrays.copyOf(leaf5, 31), 5, SIZE, proof5, root));
    rejected("leaf hash has 33 bytes, expected 32", () ->
        ProofVerifier.verifyInclusion(Arrays.copyOf(leaf5, 33), 5, SIZE, proof5, root));
  }

  @Test
  void inclusionRejectsRootsOf31And33Bytes() {
    rejected("root has 31 bytes", () ->
        ProofVerifier.verifyInclusion(leaf5, 5, SIZE, proof5, Arrays.copyOf(root, 31)));
    rejected("root has 33 bytes", () ->
        ProofVerifier.verifyInclusion(leaf5, 5, SIZE, proof5, Arrays.copyOf(root, 33)));
  }

  @Test
  void inclusionRejectsProofElementsOf31And33BytesNamingTheElement() {
    rejected("proof element 1 has 31 bytes, expected 32", () -> ProofVerifier.verifyInclusion(
        leaf5, 5, SIZE, with(proof5, 1, Arrays.copyOf(proof5.get(1), 31)), root));
    rejected("proof element 2 has 33 bytes, expected 32", () -> ProofVerifier.verifyInclusion(
        leaf5, 5, SIZE, with(proof5, 2, Arrays.copyOf(proof5.get(2), 33)), root));
    rejected("proof element 0 is null", () ->
        ProofVerifier.verifyInclusion(leaf5, 5, SIZE, with(proof5, 0, null), root));
  }

  @Test
  void inclusionRejectsAnIndexNotLessThanTheSize() {
    rejected("index 8 is not less than tree size 8", () ->
        ProofVerifier.verifyInclusion(leaf5, 8, SIZE, proof5, root));
    rejected("index 9 is not less than tree size 8", () ->
        ProofVerifier.verifyInclusion(leaf5, 9, SIZE, proof5, root));
    rejected("index 0 is not less than tree size 0", () ->
        ProofVerifier.verifyInclusion(leaf5, 0, 0, List.of(), Hashes.emptyRoot()));
  }

  @Test
  void inclusionRejectsNegativeIndexAndSize() {
    rejected("index -1 is negative", () ->
        ProofVerifier.verifyInclusion(leaf5, -1, SIZE, proof5, root));
    rejected("tree size -8 is negative", () ->
        ProofVerifier.verifyInclusion(leaf5, 5, -8, proof5, root));
    rejected("index " + Long.MIN_VALUE + " is negative", () ->
        ProofVerifier.verifyInclusion(leaf5, Long.MIN_VALUE, Long.MAX_VALUE, proof5, root));
  }

  @Test
  void inclusionRejectsTooShortAndTooLongProofsStatingTheExpectedLength() {
    rejected("proof has 2 hashes, expected 3 for index 5 in a tree of size 8", () ->
        ProofVerifier.verifyInclusion(leaf5, 5, SIZE, proof5.subList(0, 2), root));
    List<byte[]> longer = new ArrayList<>(proof5);
    longer.add(root);
    rejected("proof has 4 hashes, expected 3 for index 5 in a tree of size 8", () ->
        ProofVerifier.verifyInclusion(leaf5, 5, SIZE, longer, root));
    rejected("proof has 0 hashes, expected 3", () ->
        ProofVerifier.verifyInclusion(leaf5, 5, SIZE, List.of(), root));
    rejected("proof has 1 hash, expected 0 for index 0 in a tree of size 1", () ->
        ProofVerifier.verifyInclusion(tree.leafHash(0), 0, 1, List.of(root), tree.root(1)));
  }

  @Test
  void inclusionRejectsAWrongRootShowingBothRoots() {
    byte[] other = tree.root(7);
    rejected("does not match the expected root " + Hashes.hex(other), () ->
        ProofVerifier.verifyInclusion(leaf5, 5, SIZE, proof5, other));
  }

  @Test
  void inclusionAtTheLargestSizesDoesNotOverflow() {
    // 63 levels: the proof for the last leaf of a tree of Long.MAX_VALUE leaves has 62 hashes.
    List<byte[]> fake = new ArrayList<>();
    for (int i = 0; i < 62; i++) {
      fake.add(Hashes.leafHash(new byte[] {(byte) i}));
    }
    rejected("calculated root", () -> ProofVerifier.verifyInclusion(
        leaf5, Long.MAX_VALUE - 1, Long.MAX_VALUE, fake, root));
    rejected("expected 62", () -> ProofVerifier.verifyInclusion(
        leaf5, Long.MAX_VALUE - 1, Long.MAX_VALUE, fake.subList(0, 61), root));
  }

  // ---- consistency ----

  @Test
  void consistencyRejectsRootsOf31And33Bytes() {
    List<byte[]> p = tree.consistency(3, SIZE);
    rejected("old root has 31 bytes", () ->
        ProofVerifier.verifyConsistency(3, SIZE, p, Arrays.copyOf(tree.root(3), 31), root));
    rejected("new root has 33 bytes", () ->
        ProofVerifier.verifyConsistency(3, SIZE, p, tree.root(3), Arrays.copyOf(root, 33)));
    rejected("proof element 0 has 31 bytes", () -> ProofVerifier.verifyConsistency(
        3, SIZE, with(p, 0, Arrays.copyOf(p.get(0), 31)), tree.root(3), root));
  }

  @Test
  void consistencyRejectsAnOldSizeGreaterThanTheNewSize() {
    rejected("old size 8 is greater than new size 7", () ->
        ProofVerifier.verifyConsistency(8, 7, List.of(), root, tree.root(7)));
  }

  @Test
  void consistencyRejectsNegativeSizes() {
    rejected("old size -1 is negative", () ->
        ProofVerifier.verifyConsistency(-1, SIZE, List.of(), root, root));
    rejected("new size -1 is negative", () ->
        ProofVerifier.verifyConsistency(0, -1, List.of(), Hashes.emptyRoot(), root));
  }

  @Test
  void consistencyRejectsTooShortAndTooLongProofsStatingTheExpectedLength() {
    List<byte[]> p = tree.consistency(3, SIZE);
    assertEquals(4, p.size());
    rejected("proof has 3 hashes, expected 4 from size 3 to size 8", () ->
        ProofVerifier.verifyConsistency(3, SIZE, p.subList(0, 3), tree.root(3), root));
    List<byte[]> longer = new ArrayList<>(p);
    longer.add(root);
    rejected("proof has 5 hashes, expected 4 from size 3 to size 8", () ->
        ProofVerifier.verifyConsistency(3, SIZE, longer, tree.root(3), root));
  }

  @Test
  void consistencyFromSizeZeroRequiresAnEmptyProofAndTheEmptyTreeRoot() {
    assertDoesNotThrow(() ->
        ProofVerifier.verifyConsistency(0, SIZE, List.of(), Hashes.emptyRoot(), root));
    assertDoesNotThrow(() ->
        ProofVerifier.verifyConsistency(0, 0, List.of(), Hashes.emptyRoot(), Hashes.emptyRoot()));
    rejected("proof has 1 hash, expected 0 from size 0 to size 8", () ->
        ProofVerifier.verifyConsistency(0, SIZE, List.of(root), Hashes.emptyRoot(), root));
    // transparency-dev/merkle accepts any old root here; we require SHA-256("").
    rejected("old root of size 0", () ->
        ProofVerifier.verifyConsistency(0, SIZE, List.of(), tree.root(1), root));
    rejected("empty-tree root", () ->
        ProofVerifier.verifyConsistency(0, SIZE, List.of(), new byte[32], root));
  }

  @Test
  void consistencyBetweenEqualSizesRequiresAnEmptyProofAndEqualRoots() {
    assertDoesNotThrow(() -> ProofVerifier.verifyConsistency(SIZE, SIZE, List.of(), root, root));
    rejected("proof has 1 hash, expected 0 from size 8 to size 8", () ->
        ProofVerifier.verifyConsistency(SIZE, SIZE, List.of(root), root, root));
    rejected("does not match the new root of the same size", () ->
        ProofVerifier.verifyConsistency(SIZE, SIZE, List.of(), root, tree.root(7)));
  }

  @Test
  void consistencyFromSizeZeroToSizeZeroRequiresBothRootsToBeTheEmptyTreeRoot() {
    rejected("does not match the new root of the same size", () ->
        ProofVerifier.verifyConsistency(0, 0, List.of(), Hashes.emptyRoot(), root));
    rejected("old root of size 0", () ->
        ProofVerifier.verifyConsistency(0, 0, List.of(), root, root));
  }

  @Test
  void consistencyRejectsAWrongNewRoot() {
    List<byte[]> p = tree.consistency(3, SIZE);
    rejected("calculated new root", () ->
        ProofVerifier.verifyConsistency(3, SIZE, p, tree.root(3), tree.root(7)));
    rejected("calculated old root", () ->
        ProofVerifier.verifyConsistency(3, SIZE, p, tree.root(2), root));
  }
}
