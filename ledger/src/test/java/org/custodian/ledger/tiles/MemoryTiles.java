package org.custodian.ledger.tiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory tile store: keeps every tile ever stored (old partial tiles included, as a real
 * store may) and records each read. It can answer a read with the narrowest stored tile that is
 * wide enough or with the widest one, since the TileReader contract allows both.
 */
final class MemoryTiles implements TileReader {
  enum Serve { NARROWEST, WIDEST }

  private record Key(int level, long index) {}

  private final Map<Key, TreeMap<Integer, byte[]>> tiles = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  private Serve serve;

  MemoryTiles(Serve serve) {
    this.serve = serve;
  }

  synchronized void serve(Serve serve) {
    this.serve = serve;
  }

  /** Stores every tile of an integration; storing a tile again MUST give identical bytes. */
  synchronized void store(Integration integration) {
    for (Tile t : integration.tiles()) {
      store(t);
    }
  }

  synchronized void store(Tile t) {
    TreeMap<Integer, byte[]> widths =
        tiles.computeIfAbsent(new Key(t.id().level(), t.id().index()), k -> new TreeMap<>());
    byte[] before = widths.put(t.id().width(), t.hashes());
    if (before != null && !Arrays.equals(before, t.hashes())) {
      throw new AssertionError("tile " + t.id().path() + " was stored with different contents");
    }
  }

  @Override
  public synchronized byte[] readTile(int level, long index, int minWidth) throws IOException {
    reads.add(new TileId(level, index, minWidth).path());
    TreeMap<Integer, byte[]> widths = tiles.get(new Key(level, index));
    Map.Entry<Integer, byte[]> e = null;
    if (widths != null) {
      e = serve == Serve.NARROWEST ? widths.ceilingEntry(minWidth) : widths.lastEntry();
    }
    if (e == null || e.getKey() < minWidth) {
      throw new IOException("no tile " + new TileId(level, index, minWidth).path() + " or wider");
    }
    return e.getValue().clone();
  }

  /** The stored tile with exactly this id, or null. */
  synchronized byte[] exact(TileId id) {
    TreeMap<Integer, byte[]> widths = tiles.get(new Key(id.level(), id.index()));
    byte[] b = widths == null ? null : widths.get(id.width());
    return b == null ? null : b.clone();
  }

  synchronized Set<TileId> ids() {
    Set<TileId> out = new LinkedHashSet<>();
    tiles.forEach((k, widths) -> widths.keySet().forEach(w -> out.add(new TileId(k.level(), k.index(), w))));
    return out;
  }

  synchronized List<String> reads() {
    return List.copyOf(reads);
  }

  synchronized void clearReads() {
    reads.clear();
  }
}
