package org.custodian.ledger.tiles;

import java.util.Arrays;
import org.custodian.ledger.merkle.Hashes;

/**
 * The hashes of one tile plus the perfect subtrees between them, computed on first use.
 *
 * <p>A tile is the bottom row of a subtree of height 8 (C2SP tlog-tiles, "a tile represents the
 * entire subtree of height 8 with its hashes as the leaves"); the seven levels between the row and
 * its root hold 254 nodes. Each is hashed at most once, so a tile never costs more than 254 hashes
 * however many proofs use it. The root itself (height 8) is never needed here: it is an entry of
 * the tile one level up. Thread-safe.
 */
final class TileSubtrees {
  private static final int H = Hashes.HASH_SIZE;

  private final byte[] hashes;
  private final int width;
  // Nodes of height 1..7, laid out height by height: height h starts at slot 256 - (512 >> h).
  private final byte[][] inner = new byte[254][];

  /** Takes ownership of {@code hashes}, which holds 1..256 hashes. */
  TileSubtrees(byte[] hashes) {
    this.hashes = hashes;
    this.width = hashes.length / H;
  }

  int width() {
    return width;
  }

  /**
   * Returns a copy of the hash of the perfect subtree over the tile's hashes {@code [j << height,
   * (j + 1) << height)}; the caller has checked that they are all inside the tile.
   */
  synchronized byte[] node(int height, int j) {
    return height == 0 ? hash(j) : inner(height, j).clone();
  }

  private byte[] inner(int height, int j) {
    int slot = 256 - (512 >> height) + j;
    byte[] h = inner[slot];
    if (h == null) {
      byte[] left = height == 1 ? hash(2 * j) : inner(height - 1, 2 * j);
      byte[] right = height == 1 ? hash(2 * j + 1) : inner(height - 1, 2 * j + 1);
      h = Hashes.nodeHash(left, right);
      inner[slot] = h;
    }
    return h;
  }

  private byte[] hash(int j) {
    return Arrays.copyOfRange(hashes, j * H, (j + 1) * H);
  }
}
