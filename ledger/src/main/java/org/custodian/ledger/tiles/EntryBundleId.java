package org.custodian.ledger.tiles;

import java.util.Objects;

/**
 * Identifies one entry bundle of a C2SP tlog-tiles log (https://c2sp.org/tlog-tiles, section "Log
 * entries"): the bundle at {@code index} N holds the entries {@code [256N, 256N + width)}, whose
 * leaf hashes form level-0 tile N.
 *
 * <p>{@code width} MUST be in 1..256 (256 is a full bundle) and {@code index} MUST NOT be negative.
 */
public record EntryBundleId(long index, int width) {
  private static final String PREFIX = "tile/entries/";

  /** Checks the ranges stated in the class documentation. */
  public EntryBundleId {
    if (index < 0) {
      throw new IllegalArgumentException("index " + index + " is negative");
    }
    if (width < 1 || width > TilePaths.TILE_WIDTH) {
      throw new IllegalArgumentException("width " + width + " is not in 1..256");
    }
  }

  /** Returns the path relative to the log prefix, {@code tile/entries/<N>[.p/<W>]}. */
  public String path() {
    return PREFIX + TilePaths.encode(index, width);
  }

  /** Returns whether the bundle holds all 256 entries. */
  public boolean isFull() {
    return width == TilePaths.TILE_WIDTH;
  }

  /**
   * Parses an entry bundle path relative to the log prefix, such as {@code
   * tile/entries/x001/234.p/9}, with the same canonical-form rules for {@code <N>[.p/<W>]} as
   * {@link TileId#parse}.
   *
   * @throws IllegalArgumentException stating the reason if the path is not a canonical bundle path
   */
  public static EntryBundleId parse(String path) {
    Objects.requireNonNull(path, "path is null");
    if (!path.startsWith(PREFIX)) {
      throw TilePaths.bad(path, "it does not start with \"" + PREFIX + "\"");
    }
    TilePaths.IndexWidth iw = TilePaths.parseIndexWidth(path, PREFIX.length());
    EntryBundleId id = new EntryBundleId(iw.index(), iw.width());
    // The checks above should leave only the canonical form; re-encoding proves it.
    if (!id.path().equals(path)) {
      throw TilePaths.bad(path, "it is not the canonical form " + id.path());
    }
    return id;
  }
}
