package org.custodian.ledger.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.custodian.ledger.merkle.Hashes;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TestEntryBundles {
  @Test
  void entriesAreBigEndianUint16LengthPrefixed() {
    byte[] bundle = EntryBundles.encode(List.of(new byte[] {7}, new byte[0], new byte[300]));
    assertEquals("000107" + "0000" + "012c" + "00".repeat(300), Hashes.hex(bundle));
  }

  @RepeatedTest(20)
  void bundlesRoundTrip(RepetitionInfo rep) {
    SplittableRandom r = new SplittableRandom(0xb0d1e + rep.getCurrentRepetition());
    List<byte[]> entries = new ArrayList<>();
    int n = r.nextInt(1, 257);
    for (int i = 0; i < n; i++) {
      byte[] e = new byte[r.nextInt(10) == 0 ? r.nextInt(0, 65536) : r.nextInt(0, 200)];
      r.nextBytes(e);
      entries.add(e);
    }
    List<byte[]> decoded = EntryBundles.decode(EntryBundles.encode(entries));
    assertEquals(entries.size(), decoded.size());
    for (int i = 0; i < n; i++) {
      assertArrayEquals(entries.get(i), decoded.get(i));
    }
  }

  @Test
  void anEntryOf65535BytesFitsAndOf65536DoesNot() {
    byte[] max = new byte[65535];
    assertEquals(65537, EntryBundles.encode(List.of(max)).length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryBundles.encode(List.of(new byte[1], new byte[65536])));
    assertEquals("entry 1 has 65536 bytes, more than 65535", e.getMessage());
  }

  @Test
  void bundlesHoldOneTo256Entries() {
    assertThrows(IllegalArgumentException.class, () -> EntryBundles.encode(List.of()));
    List<byte[]> many = new ArrayList<>();
    for (int i = 0; i < 257; i++) {
      many.add(new byte[0]);
    }
    assertThrows(IllegalArgumentException.class, () -> EntryBundles.encode(many));
    assertEquals(256, EntryBundles.decode(EntryBundles.encode(many.subList(0, 256))).size());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EntryBundles.decode(new byte[2 * 257]));
    assertEquals("entry bundle has more than 256 entries", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EntryBundles.decode(new byte[0]));
    assertEquals("entry bundle is empty", e.getMessage());
  }

  @Test
  void everyTruncationOfABundleIsRejected() {
    byte[] bundle = EntryBundles.encode(List.of(new byte[] {1, 2, 3}, new byte[] {4}, new byte[0]));
    // Cutting at an entry boundary leaves a valid, shorter bundle: those cuts are not truncations
    // the format can detect, so only cuts inside an entry must fail.
    List<Integer> boundaries = List.of(5, 8, 10);
    for (int cut = 1; cut < bundle.length; cut++) {
      byte[] truncated = Arrays.copyOf(bundle, cut);
      if (boundaries.contains(cut)) {
        EntryBundles.decode(truncated);
        continue;
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> EntryBundles.decode(truncated), "cut at " + cut);
      assertTrue(e.getMessage().startsWith("entry bundle is truncated"), e.getMessage());
    }
  }

  @Test
  void aLengthPrefixLongerThanTheRemainingBytesIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryBundles.decode(new byte[] {0, 5, 1, 2}));
    assertEquals("entry bundle is truncated: entry 0 declares 5 bytes but only 2 remain",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> EntryBundles.decode(new byte[] {0, 0, 1}));
    assertEquals("entry bundle is truncated: entry 1 at byte 2 has 1 of the 2 length bytes",
        e.getMessage());
  }
}
