package org.custodian.ledger.tiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.custodian.ledger.merkle.Hashes;

/**
 * Builds C2SP tlog-tiles tiles (https://c2sp.org/tlog-tiles, sections "Merkle Tree" and "Partial
 * Tiles") incrementally as leaves are appended: the heart of the sequencer's integration step.
 *
 * <p>The builder holds only the right edge of the tree: for each tile level, the partial tile being
 * filled and the roots of the perfect subtrees it decomposes into (at most eight per level, like a
 * binary counter). Appending a hash to a level costs one hash amortised; completing a tile of 256
 * hashes pushes its root, the last carry, one level up. So {@link #append} does linear work in the
 * number of leaves, {@link #root} is O(log n), and the builder's memory is a few tiles whatever the
 * tree size.
 *
 * <p>Callers MUST store every tile an {@link Integration} lists before publishing a checkpoint for
 * its size. After {@link #resume}, callers SHOULD compare {@link #root()} with the root of their
 * last checkpoint: the builder trusts the stored tiles it resumes from. Not thread-safe: a log has
 * one sequencer, which MUST confine its builder to one thread or synchronise externally.
 */
public final class TileBuilder {
  private static final int H = Hashes.HASH_SIZE;
  private static final int WIDTH = TileId.FULL_WIDTH;
  private static final int TILE_LEVELS = 8; // tile levels 0..7 hold tree levels 0..63

  private long size;
  // rows[t]: the partial tile at level t, widths[t] hashes of it valid; widths[t] == (size >>>
  // 8t) & 255 at all times outside append.
  private final byte[][] rows = new byte[TILE_LEVELS][];
  private final int[] widths = new int[TILE_LEVELS];
  // stacks[t][b]: for each bit b set in widths[t], the root of the perfect subtree over the 2^b
  // row hashes that bit stands for; null for clear bits.
  private final byte[][][] stacks = new byte[TILE_LEVELS][8][];
  private byte[] root = Hashes.emptyRoot();

  private TileBuilder() {}

  /** Returns a builder for the empty tree. */
  public static TileBuilder empty() {
    return new TileBuilder();
  }

  /**
   * Returns a builder for an existing tree of {@code treeSize} leaves, loading the right-edge partial
   * tile of every level (widths {@code floor(treeSize / 256^L) mod 256}, skipping zero) from
   * {@code reader}. Only those tiles are needed: everything left of them is summarised by the
   * hashes at the level above.
   *
   * @throws IllegalArgumentException if {@code treeSize} is negative
   * @throws IOException if a tile cannot be read or is malformed
   */
  public static TileBuilder resume(long treeSize, TileReader reader) throws IOException {
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree size " + treeSize + " is negative");
    }
    Objects.requireNonNull(reader, "reader is null");
    TileBuilder b = new TileBuilder();
    for (int t = 0; t < TILE_LEVELS; t++) {
      long hashesAtLevel = treeSize >>> (8 * t);
      int width = (int) (hashesAtLevel % WIDTH);
      if (width == 0) {
        continue;
      }
      long index = hashesAtLevel / WIDTH;
      byte[] data = reader.readTile(t, index, width);
      if (data == null
          || data.length % H != 0
          || data.length < width * H
          || data.length > WIDTH * H) {
        throw new IOException(
            "tile reader returned "
                + (data == null ? "null" : data.length + " bytes")
                + " for "
                + new TileId(t, index, width).path()
                + ", expected a multiple of 32 from "
                + width * H
                + " to 8192");
      }
      // A wider tile is fine: its first `width` hashes are the partial tile we need.
      for (int i = 0; i < width; i++) {
        byte[] hash = new byte[H];
        System.arraycopy(data, i * H, hash, 0, H);
        b.push(t, hash);
      }
    }
    b.size = treeSize;
    b.root = b.computeRoot();
    return b;
  }

  /** Returns the number of leaves. */
  public long size() {
    return size;
  }

  /** Returns the RFC 9162 root of the current tree (SHA-256("") when empty). */
  public byte[] root() {
    return root.clone();
  }

  /**
   * Appends leaf hashes and returns the tiles created or widened. If any leaf hash is malformed the
   * builder is left unchanged.
   *
   * @throws IllegalArgumentException if a leaf hash is not 32 bytes, or the tree would exceed
   *     {@link Long#MAX_VALUE} leaves
   */
  public Integration append(List<byte[]> leafHashes) {
    Objects.requireNonNull(leafHashes, "leafHashes is null");
    // Check everything before changing anything, so a bad batch cannot leave a half-built tree.
    for (int i = 0; i < leafHashes.size(); i++) {
      byte[] h = leafHashes.get(i);
      if (h == null || h.length != H) {
        throw new IllegalArgumentException(
            "leaf hash " + i + " has " + (h == null ? "no" : h.length) + " bytes, expected 32");
      }
    }
    if (leafHashes.size() > Long.MAX_VALUE - size) {
      throw new IllegalArgumentException("tree would exceed " + Long.MAX_VALUE + " leaves");
    }

    long oldSize = size;
    List<List<Tile>> fullTiles = new ArrayList<>(TILE_LEVELS);
    for (int t = 0; t < TILE_LEVELS; t++) {
      fullTiles.add(new ArrayList<>());
    }
    boolean[] widened = new boolean[TILE_LEVELS];
    for (byte[] leaf : leafHashes) {
      size++;
      // Push the leaf into level 0; each completed tile's root is carried into the level above.
      byte[] carry = leaf.clone();
      for (int t = 0; carry != null; t++) {
        carry = push(t, carry);
        if (carry != null) {
          long index = (size >>> (8 * t + 8)) - 1;
          fullTiles.get(t).add(new Tile(new TileId(t, index, WIDTH), rows[t]));
          widened[t] = false;
        } else {
          widened[t] = true;
        }
      }
    }

    List<Tile> tiles = new ArrayList<>();
    for (int t = 0; t < TILE_LEVELS; t++) {
      tiles.addAll(fullTiles.get(t));
      if (widened[t]) {
        int width = widths[t];
        long index = (size >>> (8 * t)) / WIDTH;
        byte[] hashes = new byte[width * H];
        System.arraycopy(rows[t], 0, hashes, 0, hashes.length);
        tiles.add(new Tile(new TileId(t, index, width), hashes));
      }
    }
    root = computeRoot();
    return new Integration(oldSize, size, root, tiles);
  }

  /**
   * Appends one hash to the partial tile of level t. Returns the tile's root if this completed it
   * (the row then holds the full tile until the next push overwrites it), or null.
   */
  private byte[] push(int t, byte[] hash) {
    if (rows[t] == null) {
      rows[t] = new byte[WIDTH * H];
    }
    int w = widths[t];
    System.arraycopy(hash, 0, rows[t], w * H, H);
    // Binary-counter carry: every set low bit of w is a perfect subtree the new hash completes.
    byte[][] stack = stacks[t];
    byte[] carry = hash;
    int b = 0;
    while (((w >>> b) & 1) == 1) {
      carry = Hashes.nodeHash(stack[b], carry);
      stack[b] = null;
      b++;
    }
    if (b == 8) {
      widths[t] = 0;
      return carry;
    }
    stack[b] = carry;
    widths[t] = w + 1;
    return null;
  }

  /**
   * The RFC 9162 root is the right fold of the perfect subtrees the tree decomposes into, largest
   * first: MTH = HASH(p1, HASH(p2, ... HASH(p(k-1), pk))). Those subtrees are exactly the stacks,
   * from the top level down; fold from the smallest.
   */
  private byte[] computeRoot() {
    byte[] acc = null;
    for (int t = 0; t < TILE_LEVELS; t++) {
      for (int b = 0; b < 8; b++) {
        byte[] p = stacks[t][b];
        if (p != null) {
          acc = acc == null ? p : Hashes.nodeHash(p, acc);
        }
      }
    }
    return acc == null ? Hashes.emptyRoot() : acc;
  }
}
