package org.custodian.ledger.tiles;

/**
 * Encoding and strict parsing of the {@code <N>[.p/<W>]} part of C2SP tlog-tiles paths (section
 * "Merkle Tree": tile paths, and "Log entries": entry bundle paths share it).
 *
 * <p>The parser accepts exactly the strings the encoder produces. The spec gives each resource one
 * URL, and a server that accepted variants (leading zeros, an {@code x000} group, a {@code .p/256}
 * suffix) would offer several cache keys for one resource and could be tricked into serving a tile
 * under a name that means another.
 */
final class TilePaths {
  static final int TILE_WIDTH = 256;
  private static final int GROUP = 1000;

  private TilePaths() {}

  /** The index and width parsed from {@code <N>[.p/<W>]}. */
  record IndexWidth(long index, int width) {}

  /** Encodes {@code <N>[.p/<W>]}; width 256 means a full tile and has no suffix. */
  static String encode(long index, int width) {
    // Split into base-1000 groups, least significant first; a long has at most 7.
    int[] groups = new int[7];
    int n = 0;
    long rest = index;
    do {
      groups[n++] = (int) (rest % GROUP);
      rest /= GROUP;
    } while (rest > 0);
    StringBuilder sb = new StringBuilder(n * 5 + 6);
    for (int i = n - 1; i >= 0; i--) {
      if (i > 0) {
        sb.append('x');
      }
      int g = groups[i];
      sb.append((char) ('0' + g / 100)).append((char) ('0' + g / 10 % 10)).append((char) ('0' + g % 10));
      if (i > 0) {
        sb.append('/');
      }
    }
    if (width != TILE_WIDTH) {
      sb.append(".p/").append(width);
    }
    return sb.toString();
  }

  /**
   * Parses {@code <N>[.p/<W>]} from {@code path} starting at {@code from}.
   *
   * @param path the whole path, for error messages
   * @throws IllegalArgumentException with the reason if the text is not canonical
   */
  static IndexWidth parseIndexWidth(String path, int from) {
    String rest = path.substring(from);
    if (rest.isEmpty()) {
      throw bad(path, "the tile index is missing");
    }
    String[] parts = rest.split("/", -1);
    int width = TILE_WIDTH;
    int groups = parts.length;
    String last = parts[groups - 1];
    if (groups >= 2 && parts[groups - 2].endsWith(".p")) {
      width = parseWidth(path, last);
      parts[groups - 2] = parts[groups - 2].substring(0, parts[groups - 2].length() - 2);
      groups--;
    } else if (last.contains(".")) {
      throw bad(path, "the partial suffix must be \".p/<W>\"");
    }
    long index = 0;
    for (int i = 0; i < groups; i++) {
      String g = parts[i];
      boolean isLast = i == groups - 1;
      if (!isLast) {
        if (!g.startsWith("x")) {
          throw bad(path, "index group \"" + g + "\" must start with 'x' (all groups but the last do)");
        }
        g = g.substring(1);
      } else if (g.startsWith("x")) {
        throw bad(path, "the last index group \"" + g + "\" must not start with 'x'");
      }
      if (g.length() != 3 || !allDigits(g)) {
        throw bad(path, "index group \"" + parts[i] + "\" is not three decimal digits");
      }
      int value = Integer.parseInt(g);
      if (i == 0 && !isLast && value == 0) {
        throw bad(path, "the index has a leading zero group \"" + parts[i] + "\"");
      }
      if (index > (Long.MAX_VALUE - value) / GROUP) {
        throw bad(path, "the index is larger than " + Long.MAX_VALUE);
      }
      index = index * GROUP + value;
    }
    return new IndexWidth(index, width);
  }

  private static int parseWidth(String path, String w) {
    // The spec: "a decimal ASCII integer between 1 and 255, with no additional leading zeroes".
    if (w.isEmpty() || !allDigits(w)) {
      throw bad(path, "partial width \"" + w + "\" is not a decimal number");
    }
    if (w.length() > 1 && w.charAt(0) == '0') {
      throw bad(path, "partial width \"" + w + "\" has a leading zero");
    }
    if (w.length() > 3 || Integer.parseInt(w) < 1 || Integer.parseInt(w) > TILE_WIDTH - 1) {
      throw bad(path, "partial width " + w + " is not in 1..255");
    }
    return Integer.parseInt(w);
  }

  /**
   * Parses a tile level: "a decimal ASCII integer between 0 and 63, with no additional leading
   * zeroes".
   */
  static int parseLevel(String path, String l) {
    if (l.isEmpty() || !allDigits(l)) {
      throw bad(path, "level \"" + l + "\" is not a decimal number");
    }
    if (l.length() > 1 && l.charAt(0) == '0') {
      throw bad(path, "level \"" + l + "\" has a leading zero");
    }
    if (l.length() > 2 || Integer.parseInt(l) > 63) {
      throw bad(path, "level " + l + " is not in 0..63");
    }
    return Integer.parseInt(l);
  }

  private static boolean allDigits(String s) {
    // Character.isDigit would accept non-ASCII digits, which the spec does not allow.
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  static IllegalArgumentException bad(String path, String reason) {
    return new IllegalArgumentException("invalid path \"" + path + "\": " + reason);
  }
}
