package org.custodian.ledger.tiles;

import java.util.Objects;

/**
 * Identifies one Merkle tree tile of a C2SP tlog-tiles log (https://c2sp.org/tlog-tiles, section
 * "Merkle Tree"): the tile at {@code level} L and {@code index} N holds the hashes of tree level 8L
 * for the indices {@code [256N, 256N + width)}, each the Merkle tree hash of 256^L consecutive
 * leaves.
 *
 * <p>{@code level} MUST be in 0..63 and {@code width} in 1..256 (256 is a full tile; 1..255 a
 * partial tile, served with a {@code .p/<W>} suffix). {@code index} MUST NOT be negative. Tiles of
 * width 0 do not exist: the spec forbids serving empty tiles.
 */
public record TileId(int level, long index, int width) {
  /** Hashes in a full tile. */
  public static final int FULL_WIDTH = TilePaths.TILE_WIDTH;

  /** Checks the ranges stated in the class documentation. */
  public TileId {
    if (level < 0 || level > 63) {
      throw new IllegalArgumentException("level " + level + " is not in 0..63");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index " + index + " is negative");
    }
    if (width < 1 || width > FULL_WIDTH) {
      throw new IllegalArgumentException("width " + width + " is not in 1..256");
    }
  }

  /**
   * Returns the path relative to the log prefix, {@code tile/<L>/<N>[.p/<W>]}, for example {@code
   * tile/0/x001/x234/067} or {@code tile/1/005.p/7}.
   */
  public String path() {
    return "tile/" + level + "/" + TilePaths.encode(index, width);
  }

  /** Returns whether the tile holds all 256 hashes. */
  public boolean isFull() {
    return width == FULL_WIDTH;
  }

  /**
   * Parses a tile path relative to the log prefix, such as {@code tile/0/005.p/7}, accepting
   * exactly the paths {@link #path()} produces: the level without leading zeros and at most 63;
   * each index group three digits, all but the last prefixed with {@code x}, no leading {@code
   * x000} group; a partial width of 1..255 without leading zeros.
   *
   * @throws IllegalArgumentException stating the reason if the path is not a canonical tile path
   */
  public static TileId parse(String path) {
    Objects.requireNonNull(path, "path is null");
    if (!path.startsWith("tile/")) {
      throw TilePaths.bad(path, "it does not start with \"tile/\"");
    }
    int slash = path.indexOf('/', 5);
    if (slash < 0) {
      throw TilePaths.bad(path, "the tile index is missing");
    }
    String level = path.substring(5, slash);
    if (level.equals("entries")) {
      throw TilePaths.bad(path, "it is an entry bundle path, not a Merkle tree tile");
    }
    int l = TilePaths.parseLevel(path, level);
    TilePaths.IndexWidth iw = TilePaths.parseIndexWidth(path, slash + 1);
    TileId id = new TileId(l, iw.index(), iw.width());
    // The checks above should leave only the canonical form; re-encoding proves it.
    if (!id.path().equals(path)) {
      throw TilePaths.bad(path, "it is not the canonical form " + id.path());
    }
    return id;
  }
}
