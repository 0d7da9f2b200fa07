package org.custodian.ledger.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestNote {
  private static final NoteVerifier PETER = NoteVerifiers.parse(Vectors.PETER_VKEY);
  private static final NoteVerifier ENOCH = NoteVerifiers.parse(Vectors.ENOCH_VKEY);

  @Test
  void parseSplitsTheGoExampleIntoTextAndSignature() throws NoteException {
    Note note = Note.parse(Vectors.PETER_NOTE);
    assertEquals(Vectors.PETER_TEXT, note.text());
    assertEquals(1, note.signatures().size());
    NoteSignature signature = note.signatures().get(0);
    assertEquals("PeterNeumann", signature.name());
    assertEquals(0xc74f20a3, signature.keyId());
    assertEquals(64, signature.signature().length);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        Vectors.PETER_NOTE,
        Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG + Vectors.ENOCH_SIG,
        Vectors.QUASIMODO_NOTE,
        Vectors.SOFA_BODY + "\n" + Vectors.SOFA_LOG_SIG + Vectors.SOFA_WITNESS_SIG,
        Vectors.M_INIT
      })
  void formatReproducesPublishedNotesByteForByte(String signedNote) throws NoteException {
    assertEquals(signedNote, Note.parse(signedNote).format());
    assertEquals(signedNote, Note.parse(signedNote.getBytes(StandardCharsets.UTF_8)).format());
  }

  @Test
  void theLastBlankLineSeparatesTextFromSignatures() throws NoteException {
    Note note = Note.parse(Vectors.QUASIMODO_NOTE);
    assertEquals(
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n",
        note.text());
    assertEquals("quasimodo.example/salvatore", note.signatures().get(0).name());
    assertEquals(0x367ba04b, note.signatures().get(0).keyId());
    assertEquals("x\n\n", Note.parse("x\n\n\n" + Vectors.PETER_SIG).text());
    assertEquals("\n", Note.parse("\n\n" + Vectors.PETER_SIG).text());
  }

  // note_test.go TestOpen, case by case.

  @Test
  void openIgnoresSignaturesByUnknownKeys() throws NoteException {
    VerifiedNote opened =
        Note.open(Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG + Vectors.ENOCH_SIG, List.of(PETER));
    assertEquals(Vectors.PETER_TEXT, opened.note().text());
    assertEquals(List.of(PETER), opened.verifiedBy());
    assertEquals(2, opened.note().signatures().size());
  }

  @Test
  void openReturnsEveryKnownKeyThatSigned() throws NoteException {
    VerifiedNote opened =
        Note.open(
            Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG + Vectors.ENOCH_SIG, List.of(ENOCH, PETER));
    assertEquals(List.of(PETER, ENOCH), opened.verifiedBy());
  }

  @Test
  void openRejectsANoteWithoutAnySignatureByAKnownKey() {
    NoteException e =
        assertThrows(
            NoteException.class,
            () -> Note.open(Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG + Vectors.ENOCH_SIG, List.of()));
    assertEquals("note has no verifiable signatures", e.getMessage());
  }

  @Test
  void openMergesEqualVerifiersButRejectsDistinctOnesWithTheSameKeyId() throws NoteException {
    NoteVerifier enochAgain = NoteVerifiers.parse(Vectors.ENOCH_VKEY);
    Note.open(Vectors.PETER_TEXT + "\n" + Vectors.ENOCH_SIG, List.of(ENOCH, PETER, enochAgain));

    NoteVerifier impostor = new NoteVerifier() {
      @Override
      public String name() {
        return "EnochRoot";
      }

      @Override
      public int keyId() {
        return 0xaf0cfe78;
      }

      @Override
      public boolean verify(byte[] message, byte[] signature) {
        return true;
      }
    };
    NoteException e =
        assertThrows(
            NoteException.class,
            () -> Note.open(Vectors.PETER_TEXT + "\n" + Vectors.ENOCH_SIG, List.of(ENOCH, impostor)));
    assertEquals("ambiguous key EnochRoot+af0cfe78: several known verifiers have it", e.getMessage());
    // Ambiguity only matters for keys that signed (as in Go).
    Note.open(Vectors.PETER_NOTE, List.of(ENOCH, impostor, PETER));
  }

  @Test
  void openAcceptsOneHundredSignaturesAndRejectsMore() throws NoteException {
    Note.open(Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG.repeat(100), List.of(PETER));
    NoteException e =
        assertThrows(
            NoteException.class,
            () -> Note.open(Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG.repeat(101), List.of(PETER)));
    assertTrue(e.getMessage().startsWith("malformed note"), e.getMessage());
  }

  @Test
  void openRejectsTheWholeNoteWhenAKnownKeysSignatureFails() {
    // Go inserts "ABCD" at byte 60; the em dash is 3 bytes in UTF-8 and 1 char here.
    String bad = Vectors.PETER_SIG.substring(0, 58) + "ABCD" + Vectors.PETER_SIG.substring(58);
    NoteException e =
        assertThrows(NoteException.class, () -> Note.open(Vectors.PETER_TEXT + "\n" + bad, List.of(PETER)));
    assertEquals("invalid signature for key PeterNeumann+c74f20a3", e.getMessage());
    // Also when a valid signature by the same key comes first: every known signature is checked.
    assertThrows(
        NoteException.class,
        () -> Note.open(Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG + bad, List.of(PETER)));
    assertThrows(
        NoteException.class,
        () -> Note.open(Vectors.PETER_TEXT + "\n" + Vectors.ENOCH_SIG, List.of(PETER, withKeyOf(ENOCH, PETER))));
  }

  /** A verifier claiming {@code claimed}'s name and key ID but checking {@code actual}'s key. */
  private static NoteVerifier withKeyOf(NoteVerifier claimed, NoteVerifier actual) {
    return new NoteVerifier() {
      @Override
      public String name() {
        return claimed.name();
      }

      @Override
      public int keyId() {
        return claimed.keyId();
      }

      @Override
      public boolean verify(byte[] message, byte[] signature) {
        return actual.verify(message, signature);
      }
    };
  }

  @Test
  void openIgnoresDuplicatedAndAlteredSignaturesOfUnknownKeys() throws NoteException {
    String enochAbcd = Vectors.ENOCH_SIG.substring(0, 58) + "ABCD" + Vectors.ENOCH_SIG.substring(58);
    VerifiedNote opened =
        Note.open(
            Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG + Vectors.PETER_SIG + Vectors.ENOCH_SIG
                + Vectors.ENOCH_SIG + enochAbcd,
            List.of(PETER));
    assertEquals(List.of(PETER), opened.verifiedBy());
    assertEquals(5, opened.note().signatures().size());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        Vectors.PETER_TEXT,
        Vectors.PETER_TEXT + "\n",
        Vectors.PETER_TEXT + "\n" + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        "\u0001" + Vectors.PETER_NOTE,
        Vectors.PETER_TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        Vectors.PETER_NOTE + "Unexpected line.\n",
        // Beyond Go's cases: other dashes, missing parts, short or non-canonical signatures.
        Vectors.PETER_TEXT + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        Vectors.PETER_TEXT + "\n" + "\u2014PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        Vectors.PETER_TEXT + "\n" + "\u2014 PeterNeumann\n",
        Vectors.PETER_TEXT + "\n" + "\u2014 PeterNeumann \n",
        Vectors.PETER_TEXT + "\n" + "\u2014  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        Vectors.PETER_TEXT + "\n" + "\u2014 PeterNeumann x08g\n",
        Vectors.PETER_TEXT + "\n" + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n",
        Vectors.PETER_TEXT + "\n" + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
        Vectors.PETER_TEXT + "\n" + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM= \n",
        Vectors.PETER_TEXT + "\n" + Vectors.PETER_SIG + "\n",
        Vectors.PETER_TEXT + "\r\n" + Vectors.PETER_SIG,
        "lone \ud800 surrogate\n\n" + Vectors.PETER_SIG,
        ""
      })
  void malformedNotesAreRejected(String signedNote) {
    NoteException e = assertThrows(NoteException.class, () -> Note.open(signedNote, List.of(PETER)));
    assertTrue(e.getMessage().startsWith("malformed note"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ff", "c0af", "eda080", "e282"})
  void invalidUtf8IsRejectedNotReplaced(String hex) {
    byte[] prefix = java.util.HexFormat.of().parseHex(hex);
    byte[] note = Vectors.PETER_NOTE.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[prefix.length + note.length];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    System.arraycopy(note, 0, bytes, prefix.length, note.length);
    assertThrows(NoteException.class, () -> Note.parse(bytes));
  }

  @Test
  void notesLargerThanOneMebibyteAreRejected() throws NoteException {
    String text = "x".repeat(NoteText.MAX_NOTE_BYTES) + "\n";
    assertThrows(NoteException.class, () -> Note.parse(text + "\n" + Vectors.PETER_SIG));
    String fits = "x".repeat(NoteText.MAX_NOTE_BYTES - 1 - 1 - Vectors.PETER_SIG.length() - 2) + "\n";
    assertEquals(fits, Note.parse(fits + "\n" + Vectors.PETER_SIG).text());
  }

  @Test
  void everySingleCharacterChangeMakesTheNoteFailToOpen() {
    String note = Vectors.PETER_NOTE;
    for (int i = 0; i < note.length(); i++) {
      for (char replacement : new char[] {(char) (note.charAt(i) + 1), 'A', '\n', ' '}) {
        if (replacement == note.charAt(i)) {
          continue;
        }
        String changed = note.substring(0, i) + replacement + note.substring(i + 1);
        assertThrows(NoteException.class, () -> Note.open(changed, List.of(PETER)), changed);
      }
    }
  }

  @Test
  void transparencyDevCheckpointsOpenWithTheirLogKeys() throws NoteException {
    NoteVerifier monkeys = NoteVerifiers.parse(Vectors.MONKEYS_VKEY);
    NoteVerifier bananas = NoteVerifiers.parse(Vectors.BANANAS_VKEY);
    assertEquals(List.of(monkeys), Note.open(Vectors.M_INIT, List.of(monkeys, bananas)).verifiedBy());
    assertEquals(List.of(monkeys), Note.open(Vectors.M_NEXT, List.of(monkeys, bananas)).verifiedBy());
    assertEquals(List.of(bananas), Note.open(Vectors.B_INIT, List.of(monkeys, bananas)).verifiedBy());
    assertThrows(NoteException.class, () -> Note.open(Vectors.B_INIT, List.of(monkeys)));
  }

  @Test
  void noteRecordRefusesWhatCannotBeFormatted() {
    NoteSignature signature = new NoteSignature("a", 1, new byte[] {1});
    assertThrows(IllegalArgumentException.class, () -> new Note("text\n", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Note("text", List.of(signature)));
    assertThrows(IllegalArgumentException.class, () -> new Note("a\u0000b\n", List.of(signature)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Note("text\n", java.util.Collections.nCopies(101, signature)));
    assertThrows(IllegalArgumentException.class, () -> new NoteSignature("a b", 1, new byte[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new NoteSignature("a", 1, new byte[0]));
  }

  @Test
  void noteSignatureIsImmutableAndComparesBytes() {
    byte[] bytes = {1, 2, 3};
    NoteSignature signature = new NoteSignature("a", 7, bytes);
    bytes[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, signature.signature());
    signature.signature()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, signature.signature());
    assertEquals(new NoteSignature("a", 7, new byte[] {1, 2, 3}), signature);
    assertEquals(new NoteSignature("a", 7, new byte[] {1, 2, 3}).hashCode(), signature.hashCode());
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void formatThenParseReturnsAnEqualNote(long seed) throws NoteException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    int lines = random.nextInt(1, 6);
    for (int i = 0; i < lines; i++) {
      text.append(randomLine(random, random.nextInt(0, 4) == 0 ? 0 : random.nextInt(1, 20))).append('\n');
    }
    List<NoteSignature> signatures = new ArrayList<>();
    int count = random.nextInt(1, 20);
    for (int i = 0; i < count; i++) {
      byte[] signature = new byte[random.nextInt(1, 100)];
      random.nextBytes(signature);
      String name = randomLine(random, random.nextInt(1, 12)).replaceAll("[\\s+\u00a0\u2003\u3000]", "x");
      signatures.add(new NoteSignature(name, random.nextInt(), signature));
    }
    Note note = new Note(text.toString(), signatures);
    String formatted = note.format();
    assertEquals(note, Note.parse(formatted));
    assertEquals(note, Note.parse(formatted.getBytes(StandardCharsets.UTF_8)));
    assertEquals(formatted, Note.parse(formatted).format());
  }

  private static final String ALPHABET = "abcXYZ019 +/=-.\u00e8\u20ac\u2014\u00a0\u2003\u3000\ud83d\ude00";

  private static String randomLine(SplittableRandom random, int length) {
    StringBuilder line = new StringBuilder();
    while (line.length() < length) {
      int i = random.nextInt(ALPHABET.length());
      if (Character.isLowSurrogate(ALPHABET.charAt(i))) {
        i--;
      }
      line.append(ALPHABET.charAt(i));
      if (Character.isHighSurrogate(ALPHABET.charAt(i))) {
        line.append(ALPHABET.charAt(i + 1));
      }
    }
    return line.toString();
  }

  @Test
  void signatureLineBase64IsTheGoEncoding() throws NoteException {
    NoteSignature signature = Note.parse(Vectors.PETER_NOTE).signatures().get(0);
    byte[] raw = Base64.getDecoder().decode("x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=");
    assertArrayEquals(java.util.Arrays.copyOfRange(raw, 4, raw.length), signature.signature());
    assertEquals(Vectors.PETER_SIG, signature.line());
  }
}
