package org.custodian.ledger.merkle;

import static org.custodian.ledger.merkle.TestRfc6962ReferenceTree.assertProofEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestProofBuilder {
  private final MerkleTree tree = ReferenceTree.load().tree();

  @Test
  void rootOfSizeZeroIsTheEmptyTreeRootAndReadsNothing() throws Exception {
    NodeReader none = (level, index) -> {
      throw new AssertionError("no node should be read");
    };
    assertArrayEquals(Hashes.emptyRoot(), ProofBuilder.root(0, none));
    assertArrayEquals(Hashes.emptyRoot(), ProofBuilder.subtreeRoot(5, 5, none));
    assertEquals(List.of(), ProofBuilder.consistency(0, 5, none));
    assertEquals(List.of(), ProofBuilder.consistency(5, 5, none));
  }

  @Test
  void subtreeRootOfAnyRangeIsTheMthOfThatRangeEvenUnaligned() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    List<byte[]> leaves = TestProofProperties.randomLeaves(r, 300);
    MerkleTree t = new MerkleTree();
    leaves.forEach(t::append);
    for (int q = 0; q < 300; q++) {
      int start = r.nextInt(300);
      int end = r.nextInt(start, 301);
      assertArrayEquals(NaiveRfcTree.mth(leaves.subList(start, end)),
          ProofBuilder.subtreeRoot(start, end, t), start + ".." + end);
    }
  }

  @Test
  void alignedRightEdgeSubtreesCostLogarithmicReads() throws Exception {
    // MTH(D[2^40 : 2^40 + 2^40 - 1]) decomposes into 40 perfect subtrees: 40 reads, 39 hashes.
    AtomicInteger reads = new AtomicInteger();
    NodeReader counting = (level, index) -> {
      reads.incrementAndGet();
      return Hashes.leafHash(new byte[] {(byte) level});
    };
    long start = 1L << 40;
    ProofBuilder.subtreeRoot(start, start + (1L << 40) - 1, counting);
    assertEquals(40, reads.get());

    reads.set(0);
    List<byte[]> proof = ProofBuilder.inclusion(Long.MAX_VALUE - 1, Long.MAX_VALUE, counting);
    assertEquals(62, proof.size());
    assertTrue(reads.get() <= 62 + 62, "reads " + reads.get());
  }

  @Test
  void proofsOverAnyNodeReaderMatchMerkleTree() throws Exception {
    NodeReader viaInterface = tree::node;
    for (int size = 1; size <= 8; size++) {
      for (int i = 0; i < size; i++) {
        assertProofEquals(tree.inclusion(i, size), ProofBuilder.inclusion(i, size, viaInterface), i + "/" + size);
      }
      for (int m = 0; m <= size; m++) {
        assertProofEquals(tree.consistency(m, size), ProofBuilder.consistency(m, size, viaInterface), m + "->" + size);
      }
    }
  }

  @Test
  void inclusionRejectsIndexOutsideTheTree() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProofBuilder.inclusion(8, 8, tree));
    assertEquals("index 8 is not less than tree size 8", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProofBuilder.inclusion(-1, 8, tree));
    assertEquals("index -1 is negative", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ProofBuilder.inclusion(0, 0, tree));
  }

  @Test
  void consistencyRejectsOldSizeGreaterThanNewOrNegative() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProofBuilder.consistency(5, 4, tree));
    assertEquals("old size 5 is greater than new size 4", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProofBuilder.consistency(-1, 4, tree));
    assertEquals("old size -1 is negative", e.getMessage());
  }

  @Test
  void rootAndSubtreeRootRejectNegativeOrReversedRanges() {
    assertThrows(IllegalArgumentException.class, () -> ProofBuilder.root(-1, tree));
    assertThrows(IllegalArgumentException.class, () -> ProofBuilder.subtreeRoot(-1, 3, tree));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProofBuilder.subtreeRoot(4, 3, tree));
    assertEquals("end 3 is less than start 4", e.getMessage());
  }

  @Test
  void aReaderReturningAMalformedHashIsReportedAsIoException() {
    NodeReader shortHashes = (level, index) -> new byte[31];
    IOException e = assertThrows(IOException.class, () -> ProofBuilder.root(3, shortHashes));
    assertTrue(e.getMessage().contains("returned 31 bytes for the node at level 1 index 0"),
        e.getMessage());
    NodeReader nulls = (level, index) -> null;
    assertThrows(IOException.class, () -> ProofBuilder.inclusion(0, 2, nulls));
  }

  @Test
  void readerFailuresPropagate() {
    NodeReader failing = (level, index) -> {
      throw new IOException("disk on fire");
    };
    IOException e = assertThrows(IOException.class, () -> ProofBuilder.consistency(3, 8, failing));
    assertEquals("disk on fire", e.getMessage());
  }
}
