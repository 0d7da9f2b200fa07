package org.custodian.ledger.tiles;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Merkle tree tile and its contents (C2SP tlog-tiles, section "Merkle Tree"): {@code
 * id.width()} concatenated 32-byte hashes: {@code hashes} MUST be exactly {@code 32 * id.width()}
 * bytes. The hashes are copied in and out, so a tile is immutable.
 */
public record Tile(TileId id, byte[] hashes) {
  /** Checks that {@code hashes} holds exactly {@code id.width()} hashes. */
  public Tile {
    Objects.requireNonNull(id, "id is null");
    Objects.requireNonNull(hashes, "hashes is null");
    if (hashes.length != 32 * id.width()) {
      throw new IllegalArgumentException(
          "tile " + id.path() + " needs " + 32 * id.width() + " bytes, got " + hashes.length);
    }
    hashes = hashes.clone();
  }

  /** Returns a copy of the concatenated hashes. */
  @Override
  public byte[] hashes() {
    return hashes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tile t && id.equals(t.id) && Arrays.equals(hashes, t.hashes);
  }

  @Override
  public int hashCode() {
    return 31 * id.hashCode() + Arrays.hashCode(hashes);
  }

  @Override
  public String toString() {
    return "Tile[" + id.path() + "]";
  }
}
