package org.custodian.ledger.tiles;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.custodian.ledger.merkle.Hashes;

/**
 * What one {@link TileBuilder#append} changed: the tree grew from {@code oldSize} to {@code
 * newSize} leaves, its root is now {@code root}, and {@code tiles} are every tile created or
 * widened, each at its final width for {@code newSize}: full tiles completed by this append and
 * the new right-edge partial tile of each level that changed.
 *
 * <p>Storing every tile in {@code tiles}, on top of the tiles stored for {@code oldSize}, MUST make
 * the stored set contain the complete C2SP tlog-tiles layout for {@code newSize} (section "Merkle
 * Tree" and "Partial Tiles"). Tiles are ordered by level, then index.
 */
public record Integration(long oldSize, long newSize, byte[] root, List<Tile> tiles) {
  /** Checks sizes and the root, and copies the root and tile list. */
  public Integration {
    if (oldSize < 0 || newSize < oldSize) {
      throw new IllegalArgumentException(
          "sizes must satisfy 0 <= oldSize <= newSize, got " + oldSize + " and " + newSize);
    }
    Objects.requireNonNull(root, "root is null");
    if (root.length != Hashes.HASH_SIZE) {
      throw new IllegalArgumentException("root has " + root.length + " bytes, expected 32");
    }
    root = root.clone();
    tiles = List.copyOf(Objects.requireNonNull(tiles, "tiles is null"));
  }

  /** Returns a copy of the root of the tree of {@code newSize} leaves. */
  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Integration i
        && oldSize == i.oldSize
        && newSize == i.newSize
        && Arrays.equals(root, i.root)
        && tiles.equals(i.tiles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(oldSize, newSize, Arrays.hashCode(root), tiles);
  }

  @Override
  public String toString() {
    return "Integration[" + oldSize + " -> " + newSize + ", root " + Hashes.hex(root) + ", "
        + tiles.size() + " tiles]";
  }
}
