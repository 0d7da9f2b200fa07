package org.custodian.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 section 2.1 transcribed literally, recursion and all, over a list of leaf hashes: MTH
 * (2.1.1), PATH (2.1.3.1) and PROOF / SUBPROOF (2.1.4.1). Deliberately naive (each call is O(n)),
 * so that it shares no shortcut with the code it checks. Public for the tiles tests.
 */
public final class NaiveRfcTree {
  private NaiveRfcTree() {}

  /** MTH(D[n]). */
  public static byte[] mth(List<byte[]> d) {
    int n = d.size();
    if (n == 0) {
      return Hashes.emptyRoot();
    }
    if (n == 1) {
      return d.get(0).clone();
    }
    int k = largestPowerOfTwoLessThan(n);
    return Hashes.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, n)));
  }

  /** PATH(m, D[n]). */
  public static List<byte[]> path(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (n == 1) {
      return out;
    }
    int k = largestPowerOfTwoLessThan(n);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(path(m - k, d.subList(k, n)));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** PROOF(m, D[n]) for 0 < m < n. */
  public static List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = largestPowerOfTwoLessThan(n);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  private static int largestPowerOfTwoLessThan(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }
}
