package org.custodian.ledger.tiles;

import java.util.ArrayList;
import java.util.List;
import org.custodian.ledger.merkle.Hashes;

/** Deterministic leaf hashes for tests, cheap enough to make ten million of. */
final class Leaves {
  private Leaves() {}

  /** Real RFC 9162 leaf hashes of distinct small inputs. */
  static List<byte[]> hashed(long seed, int from, int to) {
    List<byte[]> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(Hashes.leafHash(("leaf " + seed + " " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
    return out;
  }

  /**
   * Pseudo-random 32-byte values standing for leaf hashes (splitmix64 of the index), so that a
   * test can regenerate any leaf without storing it.
   */
  static byte[] synthetic(long i) {
    byte[] b = new byte[32];
    for (int k = 0; k < 4; k++) {
      long x = mix(i * 4 + k);
      for (int j = 0; j < 8; j++) {
        b[k * 8 + j] = (byte) (x >>> (8 * j));
      }
    }
    return b;
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
