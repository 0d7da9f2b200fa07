package org.custodian.ledger.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestEnvelope {
  private static final Envelope ENVELOPE = TestLedgerEntry.ENTRY.envelope();
  private static final String LEAF_DATA =
      "{\"digest\":\"" + TestLedgerEntry.CONTENT_SHA256 + "\",\"type\":\"demo.note\",\"version\":1}";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void leafDataIsTheCanonicalJsonOfDigestTypeAndVersion() {
    assertEquals(LEAF_DATA, new String(ENVELOPE.leafData(), StandardCharsets.UTF_8));
  }

  @Test
  void parseOfLeafDataReturnsAnEqualEnvelope() throws EntryException {
    Envelope parsed = Envelope.parse(utf8(LEAF_DATA));
    assertEquals(ENVELOPE, parsed);
    assertEquals(ENVELOPE.hashCode(), parsed.hashCode());
    assertArrayEquals(utf8(LEAF_DATA), parsed.leafData());
  }

  @Test
  void checkContentAcceptsTheContentItCommitsTo() throws EntryException {
    ENVELOPE.checkContent(utf8(TestLedgerEntry.CONTENT));
  }

  @Test
  void checkContentRefusesOtherContent() {
    LedgerEntry other = LedgerEntry.create("demo.note", 1, TestLedgerEntry.TIME, TestLedgerEntry.ENTRY.fields());
    EntryException e = assertThrows(EntryException.class, () -> ENVELOPE.checkContent(other.content()));
    assertEquals("content digest does not match the envelope", e.getMessage());
  }

  @Test
  void checkContentRefusesAMatchingDigestUnderAnotherTypeOrVersion() {
    Envelope otherType = new Envelope("demo.other", 1, ENVELOPE.digest());
    Envelope otherVersion = new Envelope("demo.note", 2, ENVELOPE.digest());
    for (Envelope envelope : new Envelope[] {otherType, otherVersion}) {
      EntryException e =
          assertThrows(EntryException.class, () -> envelope.checkContent(utf8(TestLedgerEntry.CONTENT)));
      assertTrue(e.getMessage().contains("but the envelope says"), e.getMessage());
    }
  }

  @Test
  void checkContentRefusesNonCanonicalContentEvenWithAMatchingDigest() throws Exception {
    byte[] spaced = utf8(TestLedgerEntry.CONTENT + " ");
    Envelope envelope =
        new Envelope("demo.note", 1, java.security.MessageDigest.getInstance("SHA-256").digest(spaced));
    assertThrows(EntryException.class, () -> envelope.checkContent(spaced));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"type\":\"demo.note\",\"version\":1} ",
        "{\"type\":\"demo.note\",\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"version\":1}",
        "{\"digest\":\"19180D42E8D271C81F44DBD522CFE626AE5930B8EA3092C1261797CBD6CB7339\",\"type\":\"demo.note\",\"version\":1}",
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb73\",\"type\":\"demo.note\",\"version\":1}",
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"extra\":1,\"type\":\"demo.note\",\"version\":1}",
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"type\":\"demo.note\"}",
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"type\":\"demo.note\",\"version\":\"1\"}",
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"type\":\"demo.note\",\"version\":0}",
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"type\":\"Demo\",\"version\":1}",
        "{\"digest\":\"19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339\",\"type\":\"demo.note\",\"version\":1,\"version\":1}",
        "{\"digest\":1,\"type\":\"demo.note\",\"version\":1}",
        "[]",
        ""
      })
  void parseRefusesAnythingButTheCanonicalThreeMembers(String leafData) {
    assertThrows(EntryException.class, () -> Envelope.parse(utf8(leafData)));
  }

  @Test
  void everyChangedLeafDataByteIsRefusedOrNoLongerMatchesTheContent() {
    byte[] leafData = utf8(LEAF_DATA);
    byte[] content = utf8(TestLedgerEntry.CONTENT);
    for (int i = 0; i < leafData.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] changed = leafData.clone();
        changed[i] ^= (byte) (1 << bit);
        assertThrows(
            EntryException.class,
            () -> Envelope.parse(changed).checkContent(content),
            new String(changed, StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void recordRefusesInvalidPartsAndCopiesTheDigest() {
    assertThrows(IllegalArgumentException.class, () -> new Envelope("demo.note", 1, new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> new Envelope("Demo", 1, new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> new Envelope("demo.note", 0, new byte[32]));
    byte[] digest = new byte[32];
    Envelope envelope = new Envelope("demo.note", 1, digest);
    digest[0] = 1;
    envelope.digest()[1] = 1;
    assertArrayEquals(new byte[32], envelope.digest());
    assertNotEquals(new Envelope("demo.note", 1, digest), envelope);
    assertEquals(
        "Envelope[type=demo.note, version=1, digest=" + HexFormat.of().formatHex(new byte[32]) + "]",
        envelope.toString());
  }

  @Test
  void envelopeRevealsOnlyTypeVersionAndDigest() {
    String leafData = new String(ENVELOPE.leafData(), StandardCharsets.UTF_8);
    for (Object value : TestLedgerEntry.ENTRY.fields().values()) {
      assertTrue(!leafData.contains(value.toString()));
    }
    assertTrue(!leafData.contains(TestLedgerEntry.SALT));
    assertEquals(Map.of("digest", TestLedgerEntry.CONTENT_SHA256, "type", "demo.note", "version", 1L),
        CanonicalJson.parse(ENVELOPE.leafData()));
  }
}
