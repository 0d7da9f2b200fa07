package org.custodian.ledger.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tile and entry bundle paths of C2SP tlog-tiles: encoding, and parsing of canonical paths only. */
class TestTilePaths {

  @ParameterizedTest(name = "{0}/{1}/{2} <-> {3}")
  @CsvSource({
    // The spec's example: index 1234067 is x001/x234/067.
    "0, 1234067, 256, tile/0/x001/x234/067",
    "0, 1234067, 8,   tile/0/x001/x234/067.p/8",
    "1, 5,       7,   tile/1/005.p/7",
    "0, 0,       256, tile/0/000",
    "0, 5,       256, tile/0/005",
    "0, 999,     256, tile/0/999",
    "0, 1000,    256, tile/0/x001/000",
    "2, 1000000, 256, tile/2/x001/x000/000",
    "0, 1,       255, tile/0/001.p/255",
    "0, 1,       1,   tile/0/001.p/1",
    "63, 0,      1,   tile/63/000.p/1",
    "10, 42,     256, tile/10/042",
    "0, 9223372036854775807, 255, tile/0/x009/x223/x372/x036/x854/x775/807.p/255",
  })
  void tilePathsEncodeAndParseBothWays(int level, long index, int width, String path) {
    TileId id = new TileId(level, index, width);
    assertEquals(path, id.path());
    assertEquals(id, TileId.parse(path));
    assertEquals(width == 256, id.isFull());
  }

  @ParameterizedTest(name = "\"{0}\" rejected: {1}")
  @CsvSource(delimiter = '|', value = {
    "''                          | does not start with \"tile/\"",
    "/tile/0/000                 | does not start with \"tile/\"",
    "tiles/0/000                 | does not start with \"tile/\"",
    "tile/0                      | the tile index is missing",
    "tile/0/                     | the tile index is missing",
    "tile/00/000                 | level \"00\" has a leading zero",
    "tile/01/000                 | level \"01\" has a leading zero",
    "tile/64/000                 | level 64 is not in 0..63",
    "tile/100/000                | level 100 is not in 0..63",
    "tile/99999999999/000        | is not in 0..63",
    "tile/-1/000                 | level \"-1\" is not a decimal number",
    "tile/+1/000                 | level \"+1\" is not a decimal number",
    "tile//000                   | level \"\" is not a decimal number",
    "tile/entries/000            | it is an entry bundle path",
    "tile/0/5                    | index group \"5\" is not three decimal digits",
    "tile/0/0005                 | index group \"0005\" is not three decimal digits",
    "tile/0/x000/005             | leading zero group \"x000\"",
    "tile/0/x000/x001/005        | leading zero group \"x000\"",
    "tile/0/001/234              | index group \"001\" must start with 'x'",
    "tile/0/x001/x234            | the last index group \"x234\" must not start with 'x'",
    "tile/0/x1/234               | index group \"x1\" is not three decimal digits",
    "tile/0/x001//234            | index group \"\" must start with 'x'",
    "tile/0/x001/234/            | index group \"234\" must start with 'x'",
    "tile/0/005.p/0              | partial width 0 is not in 1..255",
    "tile/0/005.p/256            | partial width 256 is not in 1..255",
    "tile/0/005.p/1000           | partial width 1000 is not in 1..255",
    "tile/0/005.p/99999999999    | partial width 99999999999 is not in 1..255",
    "tile/0/005.p/007            | partial width \"007\" has a leading zero",
    "tile/0/005.p/               | partial width \"\" is not a decimal number",
    "tile/0/005.p/+7             | partial width \"+7\" is not a decimal number",
    "tile/0/005.p                | the partial suffix must be \".p/<W>\"",
    "tile/0/005.P/7              | index group \"005.P\" must start with 'x'",
    "tile/0/005.p/7/8            | index group \"005.p\" must start with 'x'",
    "tile/0/.p/7                 | index group \"\" is not three decimal digits",
    "tile/0/x009/x223/x372/x036/x854/x775/808 | the index is larger than 9223372036854775807",
    "tile/0/x001/x000/x000/x000/x000/x000/x000/000 | the index is larger than",
    "tile/0/\u0660\u0660\u0665   | is not three decimal digits",
  })
  void nonCanonicalTilePathsAreRejectedWithTheReason(String path, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TileId.parse(path));
    assertTrue(e.getMessage().contains(reason),
        "expected \"" + reason + "\" in \"" + e.getMessage() + "\"");
    assertTrue(e.getMessage().startsWith("invalid path \"" + path + "\": "), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"-1, 0, 1", "64, 0, 1", "0, -1, 1", "0, 0, 0", "0, 0, 257"})
  void tileIdsOutsideTheSpecRangesCannotBeConstructed(int level, long index, int width) {
    assertThrows(IllegalArgumentException.class, () -> new TileId(level, index, width));
  }

  @RepeatedTest(20)
  void everyTileIdRoundTripsThroughItsPath(RepetitionInfo rep) {
    SplittableRandom r = new SplittableRandom(0x711e + rep.getCurrentRepetition());
    for (int i = 0; i < 500; i++) {
      // Indices of every magnitude, from 0 to Long.MAX_VALUE.
      long index = (r.nextLong() >>> 1) >>> r.nextInt(64);
      TileId id = new TileId(r.nextInt(64), index, r.nextInt(1, 257));
      assertEquals(id, TileId.parse(id.path()));
      EntryBundleId b = new EntryBundleId(index, id.width());
      assertEquals(b, EntryBundleId.parse(b.path()));
    }
  }

  @RepeatedTest(10)
  void mangledPathsAreEitherCanonicalOrRejectedForAStatedReason(RepetitionInfo rep) {
    // Mutate valid paths character by character; whatever parses must be canonical, and every
    // rejection must come from a specific rule, not from the final round-trip guard.
    SplittableRandom r = new SplittableRandom(0xfa22 + rep.getCurrentRepetition());
    String alphabet = "tile/entries0123456789x.p/";
    for (int i = 0; i < 2000; i++) {
      TileId seed = new TileId(r.nextInt(64), (r.nextLong() >>> 1) >>> r.nextInt(64), r.nextInt(1, 257));
      String path = r.nextBoolean() ? seed.path() : new EntryBundleId(seed.index(), seed.width()).path();
      StringBuilder sb = new StringBuilder(path);
      for (int m = r.nextInt(1, 4); m > 0; m--) {
        int at = r.nextInt(sb.length() + 1);
        switch (r.nextInt(3)) {
          case 0 -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> { if (at < sb.length()) sb.deleteCharAt(at); }
          default -> { if (at < sb.length()) sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length()))); }
        }
      }
      String mangled = sb.toString();
      try {
        assertEquals(mangled, TileId.parse(mangled).path());
      } catch (IllegalArgumentException e) {
        assertFalse(e.getMessage().contains("canonical form"), e.getMessage());
      }
      try {
        assertEquals(mangled, EntryBundleId.parse(mangled).path());
      } catch (IllegalArgumentException e) {
        assertFalse(e.getMessage().contains("canonical form"), e.getMessage());
      }
    }
  }

  @ParameterizedTest(name = "{0}/{1} <-> {2}")
  @CsvSource({
    "0,       256, tile/entries/000",
    "1234067, 256, tile/entries/x001/x234/067",
    "1234067, 8,   tile/entries/x001/x234/067.p/8",
    "5,       255, tile/entries/005.p/255",
  })
  void entryBundlePathsEncodeAndParseBothWays(long index, int width, String path) {
    EntryBundleId id = new EntryBundleId(index, width);
    assertEquals(path, id.path());
    assertEquals(id, EntryBundleId.parse(path));
    assertEquals(width == 256, id.isFull());
  }

  @ParameterizedTest(name = "\"{0}\" rejected: {1}")
  @CsvSource(delimiter = '|', value = {
    "tile/0/000                 | does not start with \"tile/entries/\"",
    "tile/entries/              | the tile index is missing",
    "tile/entries/x000/001      | leading zero group",
    "tile/entries/005.p/256     | partial width 256 is not in 1..255",
    "tile/entries/005.p/0       | partial width 0 is not in 1..255",
    "tile/entries/05            | is not three decimal digits",
    "tile/entries/0/005         | must start with 'x'",
  })
  void nonCanonicalEntryBundlePathsAreRejectedWithTheReason(String path, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EntryBundleId.parse(path));
    assertTrue(e.getMessage().contains(reason),
        "expected \"" + reason + "\" in \"" + e.getMessage() + "\"");
  }

  @Test
  void entryBundleIdsOutsideTheSpecRangesCannotBeConstructed() {
    assertThrows(IllegalArgumentException.class, () -> new EntryBundleId(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new EntryBundleId(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new EntryBundleId(0, 257));
    assertFalse(new EntryBundleId(0, 255).isFull());
  }
}
