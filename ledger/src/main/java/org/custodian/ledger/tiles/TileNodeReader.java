package org.custodian.ledger.tiles;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.custodian.ledger.merkle.NodeReader;

/**
 * Serves perfect-subtree hashes (a {@link NodeReader}, so {@code ProofBuilder} can compute roots and
 * RFC 9162 proofs) from stored C2SP tlog-tiles tiles (https://c2sp.org/tlog-tiles, section "Merkle
 * Tree").
 *
 * <p>{@code node(level, index)} reads the one tile at tile level {@code level / 8} whose hashes the
 * subtree spans and hashes up the {@code level % 8} levels inside it. Costs, which keep a proof at
 * ten million leaves well under a millisecond:
 *
 * <ul>
 *   <li>Full tiles are immutable, so the subtrees computed inside them are kept in bounded LRU
 *       caches: a tile is read and hashed once while it stays cached, at most 254 hashes in all.
 *       Tile level 0 and the levels above have a cache each (default {@value
 *       #DEFAULT_CACHED_TILES} tiles each, about 20 KiB a tile, so at most about 40 MiB). Every
 *       proof needs a few upper tiles (at 10 million entries, 153 full tiles of level 1 cover the
 *       whole tree) and, for a random old leaf, one level-0 tile that is rarely needed again; in one
 *       shared LRU those level-0 tiles pushed the upper ones out, costing a second read.
 *   <li>Partial tiles never enter that cache. The reader remembers only the most recently read
 *       partial tile of each level (at most 8, one per tile level), and uses it only for requests
 *       it is wide enough to answer, reading a wider tile otherwise. This is what lets one proof,
 *       which asks for up to sixteen nodes of the same right-edge tile, read that tile once. It is
 *       sound because the spec makes every tile resource, partial ones included, immutable, and a
 *       narrower partial tile is a prefix of every wider one.
 * </ul>
 *
 * <p>Callers MUST only ask for subtrees inside a tree whose tiles the {@link TileReader} serves
 * (see its contract). A malformed tile (wrong length) is reported as an IOException and never
 * cached. Thread-safe if the TileReader is.
 */
public final class TileNodeReader implements NodeReader {
  /** Number of full tiles cached when no capacity is given. */
  public static final int DEFAULT_CACHED_TILES = 1024;

  private static final int H = 32;
  private static final int TILE_LEVELS = 8; // tree levels 0..63

  private final TileReader tiles;
  private final FullTileCache lowest; // tile level 0
  private final FullTileCache upper; // tile levels 1..7
  private final AtomicReferenceArray<PartialTile> partials =
      new AtomicReferenceArray<>(TILE_LEVELS);

  private record TileKey(int level, long index) {}

  private record PartialTile(long index, TileSubtrees subtrees) {}

  /** Creates a reader with a cache of {@value #DEFAULT_CACHED_TILES} full tiles. */
  public TileNodeReader(TileReader tiles) {
    this(tiles, DEFAULT_CACHED_TILES);
  }

  /**
   * Creates a reader caching up to {@code cachedFullTiles} full tiles of level 0, and as many of the
   * levels above (0 disables the caches).
   *
   * @throws IllegalArgumentException if {@code cachedFullTiles} is negative
   */
  public TileNodeReader(TileReader tiles, int cachedFullTiles) {
    this.tiles = Objects.requireNonNull(tiles, "tiles is null");
    if (cachedFullTiles < 0) {
      throw new IllegalArgumentException("cachedFullTiles " + cachedFullTiles + " is negative");
    }
    this.lowest = new FullTileCache(cachedFullTiles);
    this.upper = new FullTileCache(cachedFullTiles);
  }

  /**
   * Returns the hash of the perfect subtree of height {@code level} covering leaves {@code [index
   * << level, (index + 1) << level)}.
   *
   * @throws IllegalArgumentException if {@code level} is not in 0..63 or {@code index} is negative
   * @throws IOException if the tile cannot be read or is malformed
   */
  @Override
  public byte[] node(int level, long index) throws IOException {
    if (level < 0 || level >= TILE_LEVELS * 8) {
      throw new IllegalArgumentException("level " + level + " is not in 0..63");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index " + index + " is negative");
    }
    // The node spans the hashes [index << height, (index + 1) << height) of tree level 8 *
    // tileLevel; a tile holds 256 of them, so 256 >> height nodes of this height.
    int tileLevel = level >>> 3;
    int height = level & 7;
    int nodesPerTile = 256 >> height;
    long tileIndex = index / nodesPerTile;
    int j = (int) (index % nodesPerTile);
    int minWidth = (j + 1) << height;
    return subtrees(tileLevel, tileIndex, minWidth).node(height, j);
  }

  private TileSubtrees subtrees(int level, long index, int minWidth) throws IOException {
    TileKey key = new TileKey(level, index);
    FullTileCache cache = level == 0 ? lowest : upper;
    TileSubtrees full = cache.get(key);
    if (full != null) {
      return full;
    }
    PartialTile partial = partials.get(level);
    if (partial != null && partial.index() == index && partial.subtrees().width() >= minWidth) {
      return partial.subtrees();
    }
    TileSubtrees read = new TileSubtrees(read(level, index, minWidth));
    if (read.width() == TileId.FULL_WIDTH) {
      cache.put(key, read);
    } else {
      partials.set(level, new PartialTile(index, read));
    }
    return read;
  }

  private byte[] read(int level, long index, int minWidth) throws IOException {
    byte[] data = tiles.readTile(level, index, minWidth);
    String wanted = new TileId(level, index, minWidth).path();
    if (data == null) {
      throw new IOException("tile reader returned null for " + wanted);
    }
    if (data.length % H != 0 || data.length < minWidth * H || data.length > TileId.FULL_WIDTH * H) {
      throw new IOException(
          "tile reader returned "
              + data.length
              + " bytes for "
              + wanted
              + ", expected a multiple of 32 from "
              + minWidth * H
              + " to 8192");
    }
    // Copied so that the cache cannot change under a reader that reuses its buffers.
    return data.clone();
  }

  /** Access-ordered LRU of full tiles; synchronised because proofs are served concurrently. */
  private static final class FullTileCache {
    private final int capacity;
    private final Map<TileKey, TileSubtrees> map;

    FullTileCache(int capacity) {
      this.capacity = capacity;
      this.map =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<TileKey, TileSubtrees> eldest) {
              return size() > FullTileCache.this.capacity;
            }
          };
    }

    synchronized TileSubtrees get(TileKey key) {
      return map.get(key);
    }

    synchronized void put(TileKey key, TileSubtrees subtrees) {
      if (capacity > 0) {
        map.put(key, subtrees);
      }
    }
  }
}
