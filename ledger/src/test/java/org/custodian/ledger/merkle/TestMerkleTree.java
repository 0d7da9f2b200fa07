package org.custodian.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TestMerkleTree {
  @Test
  void anEmptyTreeHasTheEmptyRoot() {
    MerkleTree t = new MerkleTree();
    assertEquals(0, t.size());
    assertArrayEquals(Hashes.emptyRoot(), t.root());
    assertArrayEquals(Hashes.emptyRoot(), t.root(0));
    assertEquals(List.of(), t.consistency(0, 0));
  }

  @Test
  void appendRejectsHashesThatAreNot32Bytes() {
    MerkleTree t = new MerkleTree();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.append(new byte[31]));
    assertEquals("leaf hash has 31 bytes, expected 32", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.append(new byte[33]));
    assertThrows(NullPointerException.class, () -> t.append(null));
    assertEquals(0, t.size());
  }

  @Test
  void appendCopiesTheLeafHashAndReadsReturnCopies() {
    MerkleTree t = new MerkleTree();
    byte[] leaf = Hashes.leafHash(new byte[] {1});
    byte[] original = leaf.clone();
    t.append(leaf);
    leaf[0] ^= 1;
    assertArrayEquals(original, t.leafHash(0));
    t.leafHash(0)[0] ^= 1;
    t.root()[0] ^= 1;
    assertArrayEquals(original, t.leafHash(0));
    assertArrayEquals(original, t.root());
  }

  @Test
  void rootsOfEarlierSizesStayAvailableAfterAppending() {
    SplittableRandom r = new SplittableRandom(3);
    List<byte[]> leaves = TestProofProperties.randomLeaves(r, 600);
    MerkleTree t = new MerkleTree();
    byte[][] roots = new byte[601][];
    roots[0] = t.root();
    for (int i = 0; i < leaves.size(); i++) {
      t.append(leaves.get(i));
      roots[i + 1] = t.root();
      assertArrayEquals(NaiveRfcTree.mth(leaves.subList(0, i + 1)), roots[i + 1], "size " + (i + 1));
    }
    for (int s = 0; s <= 600; s++) {
      assertArrayEquals(roots[s], t.root(s), "size " + s);
    }
  }

  @Test
  void everyStoredAndComputedLevelServesPerfectSubtrees() {
    SplittableRandom r = new SplittableRandom(4);
    List<byte[]> leaves = TestProofProperties.randomLeaves(r, 1000);
    MerkleTree t = new MerkleTree();
    leaves.forEach(t::append);
    for (int level = 0; level <= 9; level++) {
      for (long i = 0; i < (1000 >>> level); i++) {
        int from = (int) (i << level);
        assertArrayEquals(NaiveRfcTree.mth(leaves.subList(from, from + (1 << level))),
            t.node(level, i), "level " + level + " index " + i);
      }
    }
  }

  @Test
  void nodeRejectsSubtreesNotEntirelyInsideTheTree() {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < 6; i++) {
      t.append(Hashes.leafHash(new byte[] {(byte) i}));
    }
    t.node(2, 0);
    t.node(1, 2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.node(2, 1));
    assertEquals("no complete subtree at level 2 index 1 in a tree of size 6", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.node(0, 6));
    assertThrows(IllegalArgumentException.class, () -> t.node(0, -1));
    assertThrows(IllegalArgumentException.class, () -> t.node(63, 0));
    assertThrows(IllegalArgumentException.class, () -> t.leafHash(6));
  }

  @Test
  void rootsAndProofsRejectSizesBeyondTheTree() {
    MerkleTree t = new MerkleTree();
    t.append(Hashes.leafHash(new byte[0]));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.root(2));
    assertEquals("size 2 is not in 0..1 (the tree's size)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.root(-1));
    assertThrows(IllegalArgumentException.class, () -> t.inclusion(0, 2));
    assertThrows(IllegalArgumentException.class, () -> t.inclusion(1, 1));
    assertThrows(IllegalArgumentException.class, () -> t.consistency(1, 2));
    assertThrows(IllegalArgumentException.class, () -> t.consistency(2, 1));
  }

  @Test
  void aMillionLeafTreeGivesCorrectRootsAndProofsAtEverySize() throws Exception {
    int n = 1 << 20 | 12345;
    MerkleTree t = new MerkleTree();
    byte[] leaf = new byte[32];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      r.nextBytes(leaf);
      t.append(leaf);
    }
    byte[] root = t.root();
    for (int i = 0; i < 1000; i++) {
      long size = r.nextLong(1, n + 1);
      long index = r.nextLong(size);
      t.root(size);
      List<byte[]> proof = t.inclusion(index, n);
      ProofVerifier.verifyInclusion(t.leafHash(index), index, n, proof, root);
      long old = r.nextLong(1, n + 1);
      ProofVerifier.verifyConsistency(old, n, t.consistency(old, n), t.root(old), root);
    }
  }
}
