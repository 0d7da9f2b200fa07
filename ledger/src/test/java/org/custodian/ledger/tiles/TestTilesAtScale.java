package org.custodian.ledger.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.custodian.ledger.merkle.ProofBuilder;
import org.custodian.ledger.merkle.ProofVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A log of ten million leaves, built in batches of 50,000 as a sequencer would: proofs from its
 * stored tiles are correct at that scale, and a builder resumed from the tiles has the same root.
 * Speed is measured by {@code custodian bench ledger}, never asserted here (shared machines are noisy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTilesAtScale {
  private static final long N = 10_000_000L + 12_345;
  private static final int BATCH = 50_000;

  private final MemoryTiles upper = new MemoryTiles(MemoryTiles.Serve.WIDEST);
  private byte[] root;
  // Full level-0 tiles hold nothing but the synthetic leaves, so they are regenerated on demand
  // instead of kept: 320 MB the test does not need.
  private final TileReader tiles = (level, index, minWidth) -> {
    if (level == 0 && (index + 1) * 256 <= N) {
      return levelZeroTile(index);
    }
    return upper.readTile(level, index, minWidth);
  };

  private static byte[] levelZeroTile(long index) {
    byte[] out = new byte[32 * 256];
    for (int i = 0; i < 256; i++) {
      System.arraycopy(Leaves.synthetic(index * 256 + i), 0, out, 32 * i, 32);
    }
    return out;
  }

  @BeforeAll
  void buildTheLog() {
    TileBuilder builder = TileBuilder.empty();
    List<byte[]> batch = new ArrayList<>(BATCH);
    for (long done = 0; done < N; ) {
      batch.clear();
      long end = Math.min(N, done + BATCH);
      for (long i = done; i < end; i++) {
        batch.add(Leaves.synthetic(i));
      }
      Integration in = builder.append(batch);
      for (Tile t : in.tiles()) {
        if (t.id().level() == 0 && t.id().isFull()) {
          // Spot-check what is not kept: it must be what levelZeroTile regenerates.
          if (t.id().index() % 101 == 0) {
            assertArrayEquals(levelZeroTile(t.id().index()), t.hashes(), t.id().path());
          }
        } else {
          upper.store(t);
        }
      }
      done = end;
    }
    root = builder.root();
  }

  @Test
  void theRootFromStoredTilesEqualsTheBuilderRoot() throws IOException {
    assertArrayEquals(root, ProofBuilder.root(N, new TileNodeReader(tiles)));
  }

  @Test
  void inclusionProofsAtTenMillionLeavesVerify() throws Exception {
    TileNodeReader reader = new TileNodeReader(tiles);
    SplittableRandom r = new SplittableRandom(10);
    int proofs = 5000;
    long[] indices = new long[proofs];
    for (int i = 0; i < proofs; i++) {
      // Mostly random leaves (cold tiles), some at the right edge.
      indices[i] = i % 10 == 0 ? N - 1 - r.nextInt(1000) : r.nextLong(N);
    }
    List<List<byte[]>> out = new ArrayList<>(proofs);
    for (long index : indices) {
      out.add(ProofBuilder.inclusion(index, N, reader));
    }
    for (int i = 0; i < proofs; i++) {
      ProofVerifier.verifyInclusion(Leaves.synthetic(indices[i]), indices[i], N, out.get(i), root);
    }
  }

  @Test
  void consistencyProofsAtTenMillionLeavesVerify() throws Exception {
    TileNodeReader reader = new TileNodeReader(tiles);
    SplittableRandom r = new SplittableRandom(11);
    int proofs = 2000;
    long[] olds = new long[proofs];
    for (int i = 0; i < proofs; i++) {
      olds[i] = r.nextLong(1, N);
    }
    List<List<byte[]>> out = new ArrayList<>(proofs);
    for (long old : olds) {
      out.add(ProofBuilder.consistency(old, N, reader));
    }
    // Old roots come from the same tiles: check a sample of them against proofs.
    for (int i = 0; i < proofs; i += 20) {
      byte[] oldRoot = ProofBuilder.root(olds[i], reader);
      ProofVerifier.verifyConsistency(olds[i], N, out.get(i), oldRoot, root);
    }
  }

  @Test
  void aResumedBuilderAtTenMillionLeavesHasTheSameRoot() throws IOException {
    assertArrayEquals(root, TileBuilder.resume(N, tiles).root());
    assertTrue(Arrays.equals(root, TileBuilder.resume(N, upper).root()));
  }
}
