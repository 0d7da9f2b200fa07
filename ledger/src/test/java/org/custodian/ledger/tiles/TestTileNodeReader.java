package org.custodian.ledger.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.MerkleTree;
import org.custodian.ledger.merkle.NaiveRfcTree;
import org.custodian.ledger.merkle.ProofBuilder;
import org.custodian.ledger.merkle.ProofException;
import org.custodian.ledger.merkle.ProofVerifier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TestTileNodeReader {
  private static final long BASE_SEED = 0x7ead5L;

  static List<String> hexes(List<byte[]> proof) {
    return proof.stream().map(Hashes::hex).toList();
  }

  @RepeatedTest(25)
  void proofsFromStoredTilesMatchMerkleTreeAndTheRfcAndVerify(RepetitionInfo rep)
      throws IOException, ProofException {
    long seed = BASE_SEED + rep.getCurrentRepetition();
    SplittableRandom r = new SplittableRandom(seed);
    int n = r.nextInt(1, 3000);
    List<byte[]> leaves = Leaves.hashed(seed, 0, n);
    MerkleTree tree = new MerkleTree();
    MemoryTiles store = TestTileBuilder.grow(r, leaves, tree, "seed " + seed);
    store.serve(r.nextBoolean() ? MemoryTiles.Serve.NARROWEST : MemoryTiles.Serve.WIDEST);
    TileNodeReader tiles = new TileNodeReader(store, r.nextInt(0, 20));

    for (int q = 0; q < 25; q++) {
      int size = q == 0 ? n : r.nextInt(1, n + 1);
      int index = q == 1 ? size - 1 : r.nextInt(size);
      String what = "seed " + seed + " index " + index + " size " + size;
      byte[] root = ProofBuilder.root(size, tiles);
      assertArrayEquals(tree.root(size), root, what);

      List<byte[]> proof = ProofBuilder.inclusion(index, size, tiles);
      assertEquals(hexes(tree.inclusion(index, size)), hexes(proof), what);
      assertEquals(hexes(NaiveRfcTree.path(index, leaves.subList(0, size))), hexes(proof), what);
      ProofVerifier.verifyInclusion(leaves.get(index), index, size, proof, root);
      if (size > 1) {
        int other = (index + 1) % size;
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(leaves.get(index), other, size, proof, root), what);
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(leaves.get(other), index, size, proof, root), what);
        assertThrows(ProofException.class, () ->
            ProofVerifier.verifyInclusion(leaves.get(index), index, size, proof, tree.root(size - 1)),
            what);
      }

      int old = r.nextInt(0, size + 1);
      List<byte[]> consistency = ProofBuilder.consistency(old, size, tiles);
      assertEquals(hexes(tree.consistency(old, size)), hexes(consistency), what + " old " + old);
      ProofVerifier.verifyConsistency(old, size, consistency, ProofBuilder.root(old, tiles), root);
    }
  }

  @Test
  void aLongLivedReaderFollowsTheLogAsItGrows() throws IOException, ProofException {
    // The reader remembers one partial tile per level; as the log grows it must read the wider
    // tiles, never answer from a remembered tile too narrow for the new size.
    SplittableRandom r = new SplittableRandom(BASE_SEED);
    MemoryTiles store = new MemoryTiles(MemoryTiles.Serve.NARROWEST);
    TileNodeReader tiles = new TileNodeReader(store);
    TileBuilder builder = TileBuilder.empty();
    MerkleTree tree = new MerkleTree();
    List<byte[]> leaves = Leaves.hashed(9, 0, 5000);
    int size = 0;
    while (size < leaves.size()) {
      int batch = Math.min(leaves.size() - size, r.nextInt(1, 120));
      List<byte[]> added = leaves.subList(size, size + batch);
      store.store(builder.append(added));
      added.forEach(tree::append);
      size += batch;
      assertArrayEquals(tree.root(), ProofBuilder.root(size, tiles), "size " + size);
      long index = r.nextLong(size);
      List<byte[]> proof = ProofBuilder.inclusion(index, size, tiles);
      ProofVerifier.verifyInclusion(leaves.get((int) index), index, size, proof, builder.root());
      long old = r.nextLong(size + 1);
      ProofVerifier.verifyConsistency(old, size, ProofBuilder.consistency(old, size, tiles),
          tree.root(old), builder.root());
    }
  }

  private static MemoryTiles storeOf(int n) {
    MemoryTiles store = new MemoryTiles(MemoryTiles.Serve.NARROWEST);
    List<byte[]> leaves = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      leaves.add(Leaves.synthetic(i));
    }
    store.store(TileBuilder.empty().append(leaves));
    return store;
  }

  @Test
  void eachTileIsReadAtMostOncePerProofAndARepeatedProofReadsNothing() throws IOException {
    // 70,000 leaves: three tile levels, each with a partial right-edge tile.
    MemoryTiles store = storeOf(70_000);
    SplittableRandom r = new SplittableRandom(1);
    for (int q = 0; q < 200; q++) {
      TileNodeReader tiles = new TileNodeReader(store);
      long size = r.nextLong(1, 70_001);
      long index = r.nextLong(size);
      store.clearReads();
      ProofBuilder.inclusion(index, size, tiles);
      ProofBuilder.root(size, tiles);
      assertNoTileReadTwice(store.reads(), index + "/" + size);
      // One tile on the leaf's path and one on the right edge, per level at most.
      assertTrue(store.reads().size() <= 6, store.reads().toString());

      store.clearReads();
      ProofBuilder.inclusion(index, size, tiles);
      ProofBuilder.root(size, tiles);
      assertEquals(List.of(), store.reads(), "repeat " + index + "/" + size);

      long old = r.nextLong(size + 1);
      store.clearReads();
      ProofBuilder.consistency(old, size, new TileNodeReader(store));
      assertNoTileReadTwice(store.reads(), old + "->" + size);
    }
  }

  private static void assertNoTileReadTwice(List<String> reads, String what) {
    Set<String> tiles = new HashSet<>();
    for (String path : reads) {
      TileId id = TileId.parse(path);
      assertTrue(tiles.add(id.level() + "/" + id.index()), what + ": read twice in " + reads);
    }
  }

  /** A reader that serves exactly the width asked for, so every tile but a 256-wide ask is partial. */
  private static TileReader exactWidths(AtomicInteger reads) {
    return (level, index, minWidth) -> {
      reads.incrementAndGet();
      byte[] out = new byte[32 * minWidth];
      for (int i = 0; i < minWidth; i++) {
        System.arraycopy(Leaves.synthetic(level * 1_000_000_000L + index * 256 + i), 0, out, 32 * i, 32);
      }
      return out;
    };
  }

  @Test
  void partialTilesNeverEnterTheFullTileCache() throws IOException {
    AtomicInteger reads = new AtomicInteger();
    TileNodeReader tiles = new TileNodeReader(exactWidths(reads), 100);
    tiles.node(0, 3); // tile 0, width 4
    tiles.node(0, 2); // answered by the remembered partial tile
    assertEquals(1, reads.get());
    tiles.node(0, 256 + 7); // tile 1, width 8: replaces the remembered tile of level 0
    tiles.node(0, 3); // tile 0 again: not cached, read again
    assertEquals(3, reads.get());
    tiles.node(8, 0); // level 1 has its own remembered tile
    tiles.node(0, 3);
    assertEquals(4, reads.get());
  }

  @Test
  void aRememberedPartialTileTooNarrowForTheRequestIsReadAgainWider() throws IOException {
    AtomicInteger reads = new AtomicInteger();
    TileNodeReader tiles = new TileNodeReader(exactWidths(reads));
    byte[] narrow = tiles.node(1, 1); // hashes 2..3 of tile 0: width 4
    assertEquals(1, reads.get());
    tiles.node(0, 9); // needs width 10
    assertEquals(2, reads.get());
    assertArrayEquals(narrow, tiles.node(1, 1)); // the wider tile answers narrower requests too
    assertEquals(2, reads.get());
  }

  @Test
  void fullTilesAreCachedUpToTheCapacityLeastRecentlyUsedFirst() throws IOException {
    AtomicInteger reads = new AtomicInteger();
    TileReader full = (level, index, minWidth) -> {
      reads.incrementAndGet();
      byte[] out = new byte[32 * 256];
      for (int i = 0; i < 256; i++) {
        System.arraycopy(Leaves.synthetic(index * 256 + i), 0, out, 32 * i, 32);
      }
      return out;
    };
    TileNodeReader tiles = new TileNodeReader(full, 2);
    tiles.node(7, 0); // tile 0
    tiles.node(7, 2); // tile 1
    tiles.node(0, 5); // tile 0 again: cached, and now most recently used
    assertEquals(2, reads.get());
    tiles.node(3, 64); // tile 2 evicts tile 1
    tiles.node(0, 0); // tile 0 still cached
    assertEquals(3, reads.get());
    tiles.node(0, 256); // tile 1 was evicted
    assertEquals(4, reads.get());

    TileNodeReader uncached = new TileNodeReader(full, 0);
    reads.set(0);
    uncached.node(0, 0);
    uncached.node(0, 1);
    assertEquals(2, reads.get());
  }

  @Test
  void nodesInsideAFullTileAreItsPerfectSubtrees() throws IOException {
    AtomicInteger reads = new AtomicInteger();
    TileNodeReader tiles = new TileNodeReader(exactWidths(reads));
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < 256; i++) {
      tree.append(Leaves.synthetic(i));
    }
    for (int h = 0; h < 8; h++) {
      for (long j = 0; j < (256 >> h); j++) {
        assertArrayEquals(tree.node(h, j), tiles.node(h, j), h + "/" + j);
      }
    }
  }

  @Test
  void returnedHashesAreCopiesThatCannotCorruptTheCache() throws IOException {
    MemoryTiles store = storeOf(1000);
    TileNodeReader tiles = new TileNodeReader(store);
    byte[] first = tiles.node(3, 5);
    byte[] expected = first.clone();
    first[0] ^= 1;
    assertArrayEquals(expected, tiles.node(3, 5));
    byte[] leaf = tiles.node(0, 999);
    leaf[0] ^= 1;
    assertArrayEquals(Leaves.synthetic(999), tiles.node(0, 999));
  }

  @Test
  void malformedTilesAreReportedAndNeverCached() throws IOException {
    AtomicInteger reads = new AtomicInteger();
    byte[][] answers = {null, new byte[31], new byte[32 * 3], new byte[32 * 257], new byte[32 * 4 + 1]};
    for (byte[] answer : answers) {
      reads.set(0);
      TileNodeReader tiles = new TileNodeReader((l, i, w) -> {
        reads.incrementAndGet();
        return answer;
      });
      IOException e = assertThrows(IOException.class, () -> tiles.node(2, 0));
      assertTrue(e.getMessage().contains("tile/0/000.p/4"), e.getMessage());
      assertThrows(IOException.class, () -> tiles.node(2, 0));
      assertEquals(2, reads.get());
    }
  }

  @Test
  void storageFailuresPropagate() {
    TileNodeReader tiles = new TileNodeReader(new MemoryTiles(MemoryTiles.Serve.WIDEST));
    IOException e = assertThrows(IOException.class, () -> tiles.node(9, 3));
    assertEquals("no tile tile/1/000.p/8 or wider", e.getMessage());
  }

  @Test
  void levelsAndIndicesOutsideTheTreeSpaceAreRejected() {
    TileNodeReader tiles = new TileNodeReader((l, i, w) -> new byte[32 * 256]);
    assertThrows(IllegalArgumentException.class, () -> tiles.node(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> tiles.node(64, 0));
    assertThrows(IllegalArgumentException.class, () -> tiles.node(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new TileNodeReader((l, i, w) -> null, -1));
  }

  @Test
  void levelZeroTilesNeverEvictTilesOfTheLevelsAbove() throws IOException {
    List<String> reads = new ArrayList<>();
    TileReader full = (level, index, minWidth) -> {
      reads.add(level + "/" + index);
      byte[] out = new byte[32 * 256];
      for (int i = 0; i < 256; i++) {
        System.arraycopy(Leaves.synthetic(index * 256 + i), 0, out, 32 * i, 32);
      }
      return out;
    };
    TileNodeReader tiles = new TileNodeReader(full, 2);
    tiles.node(8, 0); // tile 1/0
    for (long leaf = 0; leaf < 10 * 256; leaf += 256) {
      tiles.node(0, leaf); // ten level-0 tiles through a cache of two
    }
    reads.clear();
    tiles.node(8, 1);
    assertEquals(List.of(), reads, "tile 1/0 stayed cached");
  }

  @Test
  void concurrentProofsFromOneReaderAllVerify() throws Exception {
    int n = 100_000;
    MemoryTiles store = storeOf(n);
    TileNodeReader tiles = new TileNodeReader(store, 64);
    byte[] root = ProofBuilder.root(n, tiles);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        done.add(pool.submit(() -> {
          SplittableRandom r = new SplittableRandom(seed);
          for (int q = 0; q < 500; q++) {
            long size = r.nextBoolean() ? n : r.nextLong(1, n + 1);
            long index = r.nextLong(size);
            List<byte[]> proof = ProofBuilder.inclusion(index, size, tiles);
            ProofVerifier.verifyInclusion(Leaves.synthetic(index), index, size, proof,
                size == n ? root : ProofBuilder.root(size, tiles));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
