package org.custodian.ledger.tiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry bundle format of C2SP tlog-tiles (https://c2sp.org/tlog-tiles, section "Log
 * entries"): a sequence of log entries, each a big-endian uint16 length followed by that many
 * bytes.
 *
 * <p>A bundle MUST hold 1..256 entries (the spec forbids serving empty tiles and a bundle spans at
 * most one level-0 tile) and each entry MUST be at most 65535 bytes. {@link #decode} MUST reject
 * anything that is not exactly such a sequence, in particular truncated data, rather than return a
 * prefix of it.
 */
public final class EntryBundles {
  /** Largest entry a uint16 length prefix can describe. */
  public static final int MAX_ENTRY_SIZE = 0xffff;

  private EntryBundles() {}

  /**
   * Encodes entries as a bundle.
   *
   * @throws IllegalArgumentException if there are no entries, more than 256, or an entry is larger
   *     than 65535 bytes
   */
  public static byte[] encode(List<byte[]> entries) {
    Objects.requireNonNull(entries, "entries is null");
    checkCount(entries.size());
    int total = 0;
    for (int i = 0; i < entries.size(); i++) {
      byte[] e = Objects.requireNonNull(entries.get(i), "entry is null");
      if (e.length > MAX_ENTRY_SIZE) {
        throw new IllegalArgumentException(
            "entry " + i + " has " + e.length + " bytes, more than " + MAX_ENTRY_SIZE);
      }
      total += 2 + e.length;
    }
    byte[] out = new byte[total];
    int at = 0;
    for (byte[] e : entries) {
      out[at++] = (byte) (e.length >>> 8);
      out[at++] = (byte) e.length;
      System.arraycopy(e, 0, out, at, e.length);
      at += e.length;
    }
    return out;
  }

  /**
   * Decodes a bundle into its entries (fresh arrays, in an unmodifiable list).
   *
   * @throws IllegalArgumentException stating the reason if the bundle is empty, truncated, or
   *     holds more than 256 entries
   */
  public static List<byte[]> decode(byte[] bundle) {
    Objects.requireNonNull(bundle, "bundle is null");
    if (bundle.length == 0) {
      throw new IllegalArgumentException("entry bundle is empty");
    }
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (at < bundle.length) {
      if (out.size() == TilePaths.TILE_WIDTH) {
        throw new IllegalArgumentException(
            "entry bundle has more than " + TilePaths.TILE_WIDTH + " entries");
      }
      if (bundle.length - at < 2) {
        throw new IllegalArgumentException(
            "entry bundle is truncated: entry " + out.size() + " at byte " + at
                + " has 1 of the 2 length bytes");
      }
      int length = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
      at += 2;
      if (bundle.length - at < length) {
        throw new IllegalArgumentException(
            "entry bundle is truncated: entry " + out.size() + " declares " + length
                + " bytes but only " + (bundle.length - at) + " remain");
      }
      byte[] e = new byte[length];
      System.arraycopy(bundle, at, e, 0, length);
      out.add(e);
      at += length;
    }
    return List.copyOf(out);
  }

  private static void checkCount(int n) {
    if (n < 1 || n > TilePaths.TILE_WIDTH) {
      throw new IllegalArgumentException(
          "an entry bundle holds 1.." + TilePaths.TILE_WIDTH + " entries, not " + n);
    }
  }
}
