package org.custodian.ledger.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.MerkleTree;
import org.custodian.ledger.merkle.NaiveRfcTree;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TestTileBuilder {
  private static final long BASE_SEED = 0x711e5L;

  /** Batch sizes from empty to several tiles, with a bias towards tile boundaries. */
  static int batchSize(SplittableRandom r, int remaining) {
    int b = switch (r.nextInt(6)) {
      case 0 -> r.nextInt(0, 3);
      case 1 -> 256 + r.nextInt(-2, 3);
      case 2 -> r.nextInt(0, 1200);
      default -> r.nextInt(0, 300);
    };
    return Math.min(remaining, Math.max(0, b));
  }

  /**
   * Grows a tree in random batches, storing every integration and sometimes resuming from the store;
   * checks each step against MerkleTree. Returns the store.
   */
  static MemoryTiles grow(SplittableRandom r, List<byte[]> leaves, MerkleTree tree, String what)
      throws IOException {
    MemoryTiles store = new MemoryTiles(MemoryTiles.Serve.NARROWEST);
    TileBuilder builder = TileBuilder.empty();
    int done = 0;
    while (done < leaves.size()) {
      int n = batchSize(r, leaves.size() - done);
      List<byte[]> batch = leaves.subList(done, done + n);
      Integration in = builder.append(batch);
      batch.forEach(tree::append);
      done += n;

      String at = what + " after " + done + " leaves";
      assertEquals(done - n, in.oldSize(), at);
      assertEquals(done, in.newSize(), at);
      assertEquals(done, builder.size(), at);
      assertArrayEquals(tree.root(), builder.root(), at);
      assertArrayEquals(tree.root(), in.root(), at);
      // Each tile listed is the spec's tile at its position, at its final width.
      TileId previous = null;
      for (Tile t : in.tiles()) {
        TileId id = t.id();
        byte[] expected = expectedTile(tree, id);
        assertArrayEquals(expected, t.hashes(), at + ": " + id.path());
        long hashesAtLevel = (long) done >>> (8 * id.level());
        long tilesAtLevel = (hashesAtLevel + 255) / 256;
        assertTrue(id.index() < tilesAtLevel, at + ": " + id.path());
        if (!id.isFull()) {
          assertEquals(hashesAtLevel / 256, id.index(), at + ": partial " + id.path());
          assertEquals(hashesAtLevel % 256, id.width(), at + ": partial " + id.path());
        }
        if (previous != null) {
          assertTrue(previous.level() < id.level()
              || previous.level() == id.level() && previous.index() < id.index(),
              at + ": tiles out of order " + previous.path() + ", " + id.path());
        }
        previous = id;
      }
      store.store(in);
      if (r.nextInt(5) == 0) {
        store.serve(r.nextBoolean() ? MemoryTiles.Serve.NARROWEST : MemoryTiles.Serve.WIDEST);
        builder = TileBuilder.resume(done, store);
        assertEquals(done, builder.size(), at);
        assertArrayEquals(tree.root(), builder.root(), at + " (resumed)");
      }
    }
    return store;
  }

  static byte[] expectedTile(MerkleTree tree, TileId id) {
    byte[] out = new byte[32 * id.width()];
    for (int i = 0; i < id.width(); i++) {
      System.arraycopy(tree.node(8 * id.level(), id.index() * 256 + i), 0, out, 32 * i, 32);
    }
    return out;
  }

  /**
   * The stored set holds every tile of the spec layout at {@code size}, and nothing else except
   * older, narrower partial tiles, each a prefix of the current tile at its position.
   */
  static void assertStoreHoldsExactly(Map<TileId, byte[]> layout, MemoryTiles store, String what) {
    for (Map.Entry<TileId, byte[]> e : layout.entrySet()) {
      byte[] stored = store.exact(e.getKey());
      assertNotNull(stored, what + ": missing " + e.getKey().path());
      assertArrayEquals(e.getValue(), stored, what + ": " + e.getKey().path());
    }
    for (TileId id : store.ids()) {
      if (layout.containsKey(id)) {
        continue;
      }
      assertTrue(!id.isFull(), what + ": unexpected full tile " + id.path());
      byte[] current = layout.entrySet().stream()
          .filter(e -> e.getKey().level() == id.level() && e.getKey().index() == id.index())
          .map(Map.Entry::getValue)
          .findFirst()
          .orElseThrow(() -> new AssertionError(what + ": stray tile " + id.path()));
      assertTrue(current.length > 32 * id.width(), what + ": " + id.path());
      assertArrayEquals(Arrays.copyOf(current, 32 * id.width()), store.exact(id), what + ": " + id.path());
    }
  }

  @RepeatedTest(30)
  void tilesBuiltInRandomBatchesEqualTheSpecLayoutComputedFromScratch(RepetitionInfo rep)
      throws IOException {
    long seed = BASE_SEED + rep.getCurrentRepetition();
    SplittableRandom r = new SplittableRandom(seed);
    int n = r.nextInt(3) == 0 ? 256 * r.nextInt(1, 12) + r.nextInt(-1, 2) : r.nextInt(1, 3000);
    List<byte[]> leaves = Leaves.hashed(seed, 0, n);
    MerkleTree tree = new MerkleTree();
    MemoryTiles store = grow(r, leaves, tree, "seed " + seed);
    assertStoreHoldsExactly(SpecLayout.naive(leaves, n), store, "seed " + seed);
  }

  @RepeatedTest(2)
  void tilesOfThreeLevelsEqualTheSpecLayout(RepetitionInfo rep) throws IOException {
    long seed = BASE_SEED * 3 + rep.getCurrentRepetition();
    SplittableRandom r = new SplittableRandom(seed);
    // Past 65536 leaves: full level-1 tiles and a level-2 tile.
    int n = 65536 * 2 + r.nextInt(0, 3000);
    List<byte[]> leaves = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      leaves.add(Leaves.synthetic(seed * 1_000_000 + i));
    }
    MerkleTree tree = new MerkleTree();
    MemoryTiles store = new MemoryTiles(MemoryTiles.Serve.WIDEST);
    TileBuilder builder = TileBuilder.empty();
    int done = 0;
    while (done < n) {
      int batch = Math.min(n - done, r.nextInt(0, 9000));
      store.store(builder.append(leaves.subList(done, done + batch)));
      leaves.subList(done, done + batch).forEach(tree::append);
      done += batch;
      assertArrayEquals(tree.root(), builder.root(), "seed " + seed + " size " + done);
      if (r.nextInt(4) == 0) {
        builder = TileBuilder.resume(done, store);
      }
    }
    assertStoreHoldsExactly(SpecLayout.fromTree(tree, n), store, "seed " + seed);
    // Spot-check the level-2 tile against the spec formula over raw leaves.
    assertArrayEquals(NaiveRfcTree.mth(leaves.subList(0, 65536)),
        Arrays.copyOf(store.exact(new TileId(2, 0, 2)), 32));
  }

  @Test
  void aTreeOf70000LeavesHasTheTilesTheSpecLists() {
    // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
    // tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one
    // partial level 2 tile of width 1."
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      leaves.add(Leaves.synthetic(i));
    }
    Integration in = TileBuilder.empty().append(leaves);
    List<String> paths = in.tiles().stream().map(t -> t.id().path()).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 273; i++) {
      expected.add(new TileId(0, i, 256).path());
    }
    expected.add("tile/0/273.p/112");
    expected.add("tile/1/000");
    expected.add("tile/1/001.p/17");
    expected.add("tile/2/000.p/1");
    assertEquals(expected, paths);
  }

  @Test
  void aTreeOf256LeavesIsOneFullTileAndALevelOneTileOfWidthOne() {
    Integration in = TileBuilder.empty().append(Leaves.hashed(1, 0, 256));
    assertEquals(List.of("tile/0/000", "tile/1/000.p/1"),
        in.tiles().stream().map(t -> t.id().path()).toList());
    MerkleTree tree = new MerkleTree();
    Leaves.hashed(1, 0, 256).forEach(tree::append);
    assertArrayEquals(tree.root(), in.tiles().get(1).hashes());
  }

  @Test
  void integrationListsOnlyTilesCreatedOrWidened() {
    TileBuilder b = TileBuilder.empty();
    b.append(Leaves.hashed(2, 0, 300));
    // 300 -> 301 widens the level-0 partial tile only; level 1 is unchanged.
    Integration in = b.append(Leaves.hashed(2, 300, 301));
    assertEquals(List.of("tile/0/001.p/45"), in.tiles().stream().map(t -> t.id().path()).toList());
    // 301 -> 512 completes level-0 tile 1 and widens level 1 to two hashes.
    in = b.append(Leaves.hashed(2, 301, 512));
    assertEquals(List.of("tile/0/001", "tile/1/000.p/2"),
        in.tiles().stream().map(t -> t.id().path()).toList());
  }

  @Test
  void appendingNothingChangesNothing() {
    TileBuilder b = TileBuilder.empty();
    Integration empty = b.append(List.of());
    assertEquals(new Integration(0, 0, Hashes.emptyRoot(), List.of()), empty);
    b.append(Leaves.hashed(3, 0, 10));
    byte[] root = b.root();
    assertEquals(new Integration(10, 10, root, List.of()), b.append(List.of()));
  }

  @Test
  void aBatchWithAMalformedLeafHashLeavesTheBuilderUnchanged() {
    TileBuilder b = TileBuilder.empty();
    b.append(Leaves.hashed(4, 0, 10));
    byte[] root = b.root();
    List<byte[]> batch = new ArrayList<>(Leaves.hashed(4, 10, 20));
    batch.set(7, new byte[31]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.append(batch));
    assertEquals("leaf hash 7 has 31 bytes, expected 32", e.getMessage());
    assertEquals(10, b.size());
    assertArrayEquals(root, b.root());
  }

  @Test
  void theBuilderCopiesLeafHashesAndReturnsCopies() {
    TileBuilder b = TileBuilder.empty();
    List<byte[]> leaves = Leaves.hashed(5, 0, 3);
    byte[] expected = b.append(leaves).root();
    leaves.get(2)[0] ^= 1;
    b.root()[0] ^= 1;
    assertArrayEquals(expected, b.root());
  }

  @Test
  void resumeReadsOnlyTheRightEdgePartialTileOfEachLevel() throws IOException {
    MemoryTiles store = new MemoryTiles(MemoryTiles.Serve.NARROWEST);
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      leaves.add(Leaves.synthetic(i));
    }
    TileBuilder original = TileBuilder.empty();
    store.store(original.append(leaves));
    store.clearReads();
    TileBuilder resumed = TileBuilder.resume(70_000, store);
    assertEquals(List.of("tile/0/273.p/112", "tile/1/001.p/17", "tile/2/000.p/1"), store.reads());
    assertArrayEquals(original.root(), resumed.root());

    store.clearReads();
    TileBuilder.resume(65536, store);
    assertEquals(List.of("tile/2/000.p/1"), store.reads());
    assertArrayEquals(TileBuilder.empty().append(leaves.subList(0, 65536)).root(),
        TileBuilder.resume(65536, store).root());
  }

  @Test
  void resumeUsesThePrefixOfAWiderTileAndContinuesIdentically() throws IOException {
    List<byte[]> leaves = Leaves.hashed(6, 0, 5000);
    MemoryTiles store = new MemoryTiles(MemoryTiles.Serve.WIDEST);
    TileBuilder full = TileBuilder.empty();
    store.store(full.append(leaves));
    // Only full and size-5000 tiles are stored; a resume at 3001 gets wider tiles than it needs.
    TileBuilder resumed = TileBuilder.resume(3001, store);
    TileBuilder direct = TileBuilder.empty();
    direct.append(leaves.subList(0, 3001));
    assertArrayEquals(direct.root(), resumed.root());
    assertEquals(direct.append(leaves.subList(3001, 5000)), resumed.append(leaves.subList(3001, 5000)));
  }

  @Test
  void resumeOfAnEmptyTreeReadsNothing() throws IOException {
    TileBuilder b = TileBuilder.resume(0, (l, i, w) -> {
      throw new AssertionError("no tile should be read");
    });
    assertArrayEquals(Hashes.emptyRoot(), b.root());
    assertThrows(IllegalArgumentException.class, () -> TileBuilder.resume(-1, (l, i, w) -> null));
  }

  @Test
  void resumeRejectsMalformedTiles() {
    for (byte[] bad : new byte[][] {null, new byte[31], new byte[32 * 4], new byte[32 * 5 + 1],
        new byte[32 * 257]}) {
      IOException e = assertThrows(IOException.class, () -> TileBuilder.resume(5, (l, i, w) -> bad));
      assertTrue(e.getMessage().contains("tile/0/000.p/5"), e.getMessage());
    }
    IOException missing = assertThrows(IOException.class,
        () -> TileBuilder.resume(5, new MemoryTiles(MemoryTiles.Serve.WIDEST)));
    assertTrue(missing.getMessage().contains("no tile"), missing.getMessage());
  }
}
