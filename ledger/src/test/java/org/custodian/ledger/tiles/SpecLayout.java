package org.custodian.ledger.tiles;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.ledger.merkle.MerkleTree;
import org.custodian.ledger.merkle.NaiveRfcTree;

/**
 * The complete tile set of a tree, computed from scratch from the C2SP tlog-tiles definitions: the
 * n-th tile at level l holds, for i from 0 to 255, MTH(D[(n * 256 + i) * 256**l : (n * 256 + i +
 * 1) * 256**l]); the partial tile at level l of a tree of size s has floor(s / 256**l) mod 256
 * hashes; empty tiles do not exist.
 */
final class SpecLayout {
  private SpecLayout() {}

  /** Uses the literal RFC recursion for every hash: for small trees. */
  static Map<TileId, byte[]> naive(List<byte[]> leaves, long size) {
    return layout(size, (l, j) -> {
      long span = 1L << (8 * l);
      return NaiveRfcTree.mth(leaves.subList((int) (j * span), (int) ((j + 1) * span)));
    });
  }

  /** Uses MerkleTree's perfect subtrees: for larger trees. */
  static Map<TileId, byte[]> fromTree(MerkleTree tree, long size) {
    return layout(size, (l, j) -> tree.node(8 * l, j));
  }

  interface LevelHash {
    byte[] hash(int tileLevel, long j);
  }

  static Map<TileId, byte[]> layout(long size, LevelHash h) {
    Map<TileId, byte[]> out = new LinkedHashMap<>();
    for (int l = 0; l < 8; l++) {
      long count = size >>> (8 * l);
      if (count == 0) {
        break;
      }
      for (long n = 0; n * 256 < count; n++) {
        int width = (int) Math.min(256, count - n * 256);
        ByteArrayOutputStream b = new ByteArrayOutputStream(width * 32);
        for (int i = 0; i < width; i++) {
          b.writeBytes(h.hash(l, n * 256 + i));
        }
        out.put(new TileId(l, n, width), b.toByteArray());
      }
    }
    return out;
  }
}
