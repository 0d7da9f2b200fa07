package org.custodian.ledger.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Every small corruption of a proof or hash, for tests that each must be rejected. */
final class ProofMutations {
  private ProofMutations() {}

  /**
   * Every proof that differs from {@code proof} by: one byte changed to any other value; one element
   * removed, shortened to 31 or 0 bytes, or lengthened to 33 bytes; one element inserted anywhere
   * (a fresh hash, or a copy of a neighbour).
   */
  static List<List<byte[]>> of(List<byte[]> proof) {
    List<List<byte[]>> out = new ArrayList<>();
    for (int e = 0; e < proof.size(); e++) {
      for (int p = 0; p < proof.get(e).length; p++) {
        for (int v = 1; v < 256; v++) {
          byte[] changed = proof.get(e).clone();
          changed[p] ^= (byte) v;
          out.add(replace(proof, e, changed));
        }
      }
      List<byte[]> removed = new ArrayList<>(proof);
      removed.remove(e);
      out.add(removed);
      out.add(replace(proof, e, Arrays.copyOf(proof.get(e), 31)));
      out.add(replace(proof, e, new byte[0]));
      out.add(replace(proof, e, Arrays.copyOf(proof.get(e), 33)));
    }
    for (int at = 0; at <= proof.size(); at++) {
      List<byte[]> fresh = new ArrayList<>(proof);
      fresh.add(at, Hashes.leafHash(new byte[] {(byte) at}));
      out.add(fresh);
      if (at < proof.size()) {
        List<byte[]> dup = new ArrayList<>(proof);
        dup.add(at, proof.get(at).clone());
        out.add(dup);
      }
    }
    return out;
  }

  /** Every single-bit flip of {@code hash}, plus its 31- and 33-byte variants. */
  static List<byte[]> ofHash(byte[] hash) {
    List<byte[]> out = new ArrayList<>();
    for (int p = 0; p < hash.length; p++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] changed = hash.clone();
        changed[p] ^= (byte) (1 << bit);
        out.add(changed);
      }
    }
    out.add(Arrays.copyOf(hash, 31));
    out.add(Arrays.copyOf(hash, 33));
    return out;
  }

  private static List<byte[]> replace(List<byte[]> proof, int e, byte[] element) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.set(e, element);
    return copy;
  }
}
