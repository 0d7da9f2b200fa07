package org.custodian.ledger.merkle;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestHashes {
  private final ReferenceTree ref = ReferenceTree.load();

  private byte[] vector(String descStart) {
    return ref.hasherVectors.stream()
        .filter(v -> v.desc().startsWith(descStart))
        .findFirst()
        .orElseThrow()
        .hash();
  }

  @Test
  void emptyRootIsSha256OfTheEmptyString() {
    assertArrayEquals(vector("empty tree root"), Hashes.emptyRoot());
    assertArrayEquals(ref.rootsBySize.get(0L), Hashes.emptyRoot());
  }

  @Test
  void emptyRootReturnsAFreshCopyEachTime() {
    byte[] a = Hashes.emptyRoot();
    a[0] ^= 1;
    assertNotSame(a, Hashes.emptyRoot());
    assertArrayEquals(vector("empty tree root"), Hashes.emptyRoot());
  }

  @Test
  void leafHashPrefixesZeroByteAsInRfc9162() {
    assertArrayEquals(vector("leaf hash of empty leaf"), Hashes.leafHash(new byte[0]));
    assertArrayEquals(vector("leaf hash of ASCII 'L123456'"),
        Hashes.leafHash("L123456".getBytes(US_ASCII)));
  }

  @Test
  void nodeHashPrefixesOneByteAsInRfc9162() throws Exception {
    // The vector hashes two 4-byte strings; nodeHash only takes 32-byte children, so check the
    // vector with a plain digest and the prefix with real hashes.
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update((byte) 1);
    md.update("N123".getBytes(US_ASCII));
    md.update("N456".getBytes(US_ASCII));
    assertArrayEquals(vector("HashChildren"), md.digest());

    byte[] l = Hashes.leafHash(new byte[] {1});
    byte[] r = Hashes.leafHash(new byte[] {2});
    md.update((byte) 1);
    md.update(l);
    md.update(r);
    assertArrayEquals(md.digest(), Hashes.nodeHash(l, r));
  }

  @Test
  void nodeHashRejectsChildrenThatAreNotTreeHashes() {
    byte[] ok = new byte[32];
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Hashes.nodeHash(new byte[4], new byte[4]));
    assertEquals("left child has 4 bytes, expected 32", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Hashes.nodeHash(new byte[31], ok));
    assertThrows(IllegalArgumentException.class, () -> Hashes.nodeHash(new byte[33], ok));
    e = assertThrows(IllegalArgumentException.class, () -> Hashes.nodeHash(ok, new byte[33]));
    assertEquals("right child has 33 bytes, expected 32", e.getMessage());
    assertThrows(NullPointerException.class, () -> Hashes.nodeHash(null, ok));
  }

  @Test
  void leafAndNodeHashesOfTheSameBytesDiffer() {
    // Second-preimage resistance: the 64 bytes of two children, hashed as a leaf, must not give
    // the node hash.
    byte[] l = Hashes.leafHash(new byte[] {1});
    byte[] r = Hashes.leafHash(new byte[] {2});
    byte[] both = new byte[64];
    System.arraycopy(l, 0, both, 0, 32);
    System.arraycopy(r, 0, both, 32, 32);
    assertTrue(!MessageDigest.isEqual(Hashes.leafHash(both), Hashes.nodeHash(l, r)));
  }

  @Test
  void hexIsLowercaseAndRoundTrips() {
    assertEquals("00ff10ab", Hashes.hex(new byte[] {0, -1, 16, (byte) 0xab}));
    assertEquals("", Hashes.hex(new byte[0]));
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[r.nextInt(0, 70)];
      r.nextBytes(b);
      assertArrayEquals(b, Hashes.unhex(Hashes.hex(b)));
    }
  }

  @Test
  void unhexAcceptsUppercaseDigits() {
    assertArrayEquals(new byte[] {(byte) 0xab, (byte) 0xcd}, Hashes.unhex("ABcd"));
  }

  @Test
  void unhexRejectsOddLength() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Hashes.unhex("abc"));
    assertEquals("hex string has odd length 3", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0g", "g0", " 0", "0x", "+1", "-1", "\u0661\u0662", "zz00"})
  void unhexRejectsNonHexCharactersNamingThem(String s) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Hashes.unhex(s));
    assertTrue(e.getMessage().startsWith("invalid hex character '"), e.getMessage());
    assertTrue(e.getMessage().contains(" at index "), e.getMessage());
  }
}
