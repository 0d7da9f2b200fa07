package org.custodian.ledger.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestNoteSigner {
  @Test
  void peterNeumannPrivateKeyYieldsTheGoVerifierKeyAndRoundTrips() {
    NoteSigner signer = NoteSigner.fromPrivateKeyText(Vectors.PETER_SKEY);
    assertEquals("PeterNeumann", signer.name());
    assertEquals(0xc74f20a3, signer.keyId());
    assertEquals(Vectors.PETER_VKEY, signer.verifierKeyText());
    assertEquals(Vectors.PETER_SKEY, signer.privateKeyText());
  }

  static Stream<Arguments> publishedKeyPairs() {
    Stream<Arguments> distributor =
        Stream.of(Vectors.DISTRIBUTOR_KEY_PAIRS).map(pair -> Arguments.of(pair[0], pair[1]));
    Stream<Arguments> witness =
        Stream.of(
            Arguments.of(Vectors.MONKEYS_SKEY, Vectors.MONKEYS_VKEY),
            Arguments.of(Vectors.BANANAS_SKEY, Vectors.BANANAS_VKEY),
            Arguments.of(Vectors.WITNESS_SKEY, Vectors.WITNESS_VKEY));
    return Stream.concat(distributor, witness);
  }

  @ParameterizedTest
  @MethodSource("publishedKeyPairs")
  void publicKeyDerivedFromTheSeedMatchesThePublishedVerifierKey(String skey, String vkey) {
    assertEquals(vkey, NoteSigner.fromPrivateKeyText(skey).verifierKeyText());
  }

  @Test
  void signReproducesTheGoSignatureByteForByte() {
    NoteSigner signer = NoteSigner.fromPrivateKeyText(Vectors.PETER_SKEY);
    assertEquals(Vectors.PETER_SIG, signer.sign(Vectors.PETER_TEXT));
  }

  @ParameterizedTest
  @ValueSource(strings = {Vectors.M_INIT, Vectors.M_NEXT})
  void signReproducesTheTransparencyDevCheckpointSignatures(String signedNote) {
    int split = signedNote.lastIndexOf("\n\n");
    String text = signedNote.substring(0, split + 1);
    String line = signedNote.substring(split + 2);
    assertEquals(line, NoteSigner.fromPrivateKeyText(Vectors.MONKEYS_SKEY).sign(text));
  }

  @Test
  void generatedKeyRoundTripsAndItsSignaturesVerify() {
    NoteSigner signer = NoteSigner.generate("example.com/log");
    NoteSigner reloaded = NoteSigner.fromPrivateKeyText(signer.privateKeyText());
    assertEquals(signer.verifierKeyText(), reloaded.verifierKeyText());
    assertEquals(signer.keyId(), reloaded.keyId());

    String text = "hello\n";
    String line = signer.sign(text);
    byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1, line.length() - 1));
    byte[] signature = java.util.Arrays.copyOfRange(raw, 4, raw.length);
    NoteVerifier verifier = NoteVerifiers.parse(signer.verifierKeyText());
    assertTrue(verifier.verify(text.getBytes(StandardCharsets.UTF_8), signature));
    assertFalse(verifier.verify("hellO\n".getBytes(StandardCharsets.UTF_8), signature));
    signature[0] ^= 1;
    assertFalse(verifier.verify(text.getBytes(StandardCharsets.UTF_8), signature));
    assertEquals(signer.verifier(), verifier);
  }

  @Test
  void twoGeneratedKeysDiffer() {
    assertNotEquals(
        NoteSigner.generate("a").verifierKeyText(), NoteSigner.generate("a").verifierKeyText());
  }

  /** note_test.go TestNewSigner: no proper substring and no single-byte change may parse. */
  @Test
  void everyTruncationAndEveryChangedCharacterOfAPrivateKeyIsRefused() {
    String skey = Vectors.PETER_SKEY;
    for (int i = 0; i <= skey.length(); i++) {
      for (int j = i + 1; j <= skey.length(); j++) {
        if (i == 0 && j == skey.length()) {
          continue;
        }
        String mangled = skey.substring(i, j);
        assertThrows(IllegalArgumentException.class, () -> NoteSigner.fromPrivateKeyText(mangled), mangled);
      }
    }
    for (int i = 0; i < skey.length(); i++) {
      char[] chars = skey.toCharArray();
      chars[i]++;
      String mangled = new String(chars);
      assertThrows(IllegalArgumentException.class, () -> NoteSigner.fromPrivateKeyText(mangled), mangled);
    }
  }

  @Test
  void privateKeyOfAnotherSignatureTypeIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NoteSigner.fromPrivateKeyText(Vectors.W1_SKEY));
    assertTrue(e.getMessage().contains("0x04"), e.getMessage());
  }

  @Test
  void refusalsNeverQuoteTheKeyMaterial() {
    String secret = Vectors.PETER_SKEY.substring(Vectors.PETER_SKEY.lastIndexOf('+') + 1);
    for (String bad :
        List.of(
            Vectors.PETER_SKEY.replace("c74f20a3", "c74f20a4"),
            Vectors.PETER_SKEY + "AAAA",
            Vectors.PETER_SKEY.replace("PeterNeumann", "Peter Neumann"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> NoteSigner.fromPrivateKeyText(bad));
      assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
    NoteSigner signer = NoteSigner.fromPrivateKeyText(Vectors.PETER_SKEY);
    assertFalse(signer.toString().contains(secret));
    assertEquals("NoteSigner[PeterNeumann+c74f20a3]", signer.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a+b", "a\tb", "a\u00a0b", "a\u2003b", "a\u3000b", "a\u0001b", "a\ud800b"})
  void invalidKeyNamesAreRefused(String name) {
    assertThrows(IllegalArgumentException.class, () -> NoteSigner.generate(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "no final newline", "a\r\n", "tab\there\n", "lone \udc00 surrogate\n"})
  void signRefusesTextThatIsNotValidNoteText(String text) {
    NoteSigner signer = NoteSigner.fromPrivateKeyText(Vectors.PETER_SKEY);
    assertThrows(IllegalArgumentException.class, () -> signer.sign(text));
  }
}
