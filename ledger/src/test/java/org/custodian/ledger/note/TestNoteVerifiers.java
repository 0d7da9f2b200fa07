package org.custodian.ledger.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestNoteVerifiers {
  @Test
  void parsesTheGoVerifierKey() {
    NoteVerifier verifier = NoteVerifiers.parse(Vectors.PETER_VKEY);
    assertEquals("PeterNeumann", verifier.name());
    assertEquals(0xc74f20a3, verifier.keyId());
    assertInstanceOf(Ed25519NoteVerifier.class, verifier);
    assertEquals(Vectors.PETER_VKEY, verifier.toString());
  }

  /** note_test.go TestNewVerifier: no proper substring and no single-byte change may parse. */
  @Test
  void everyTruncationAndEveryChangedCharacterOfAVerifierKeyIsRefused() {
    String vkey = Vectors.PETER_VKEY;
    for (int i = 0; i <= vkey.length(); i++) {
      for (int j = i + 1; j <= vkey.length(); j++) {
        if (i == 0 && j == vkey.length()) {
          continue;
        }
        String mangled = vkey.substring(i, j);
        assertThrows(IllegalArgumentException.class, () -> NoteVerifiers.parse(mangled), mangled);
      }
    }
    for (int i = 0; i < vkey.length(); i++) {
      char[] chars = vkey.toCharArray();
      chars[i]++;
      String mangled = new String(chars);
      assertThrows(IllegalArgumentException.class, () -> NoteVerifiers.parse(mangled), mangled);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // note_test.go: wrong key length and unknown algorithm, each with an adjusted key ID.
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        // transparency-dev/formats TestCoSigV1NewVerifier failure cases.
        "bananas.sigstore.dev+12344556",
        "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
        "rekor.sigstore.dev+12345678+AwEB",
        "rekor.sigstore.dev+NOT_A_NUMBER+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=",
        "rekor.sigstore.dev+00000000+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=",
        // Type 0x02 ECDSA and type 0x05 RFC 6962 keys with correct key IDs: valid, unsupported.
        Vectors.SIGSTORE_VKEY,
        "ct.googleapis.com/logs/us1/argon2024+b0d41a5d+BTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABB25bKnLaZTFXOa2pgO70rjcVEMXKJkMBgFQHZ1kwFlGK9zIAx0FtC2oCfeZQe0E++VXuiYE9hFSzhRlOy92K8A=",
        // A private key is not a verifier key.
        Vectors.PETER_SKEY,
        ""
      })
  void malformedOrUnsupportedVerifierKeysAreRefused(String vkey) {
    assertThrows(IllegalArgumentException.class, () -> NoteVerifiers.parse(vkey));
  }

  @Test
  void unsupportedAlgorithmIsNamedInTheRefusal() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NoteVerifiers.parse(Vectors.SIGSTORE_VKEY));
    assertTrue(e.getMessage().contains("0x02"), e.getMessage());
  }

  @Test
  void uppercaseKeyIdIsAcceptedAsGoDoes() {
    assertEquals(0xc74f20a3, NoteVerifiers.parse(Vectors.PETER_VKEY.replace("c74f20a3", "C74F20A3")).keyId());
  }

  @Test
  void transparencyDevKeysParseWithTheirTypes() {
    NoteVerifier remora = NoteVerifiers.parse(Vectors.REMORA_VKEY);
    assertInstanceOf(CosignatureV1Verifier.class, remora);
    assertEquals("remora.n621.de", remora.name());
    assertEquals(0xda77ade7, remora.keyId());
    assertInstanceOf(Ed25519NoteVerifier.class, NoteVerifiers.parse(Vectors.TEST_VKEY));
  }

  @Test
  void base64WithLineBreaksIsRefused() {
    // Go's decoder skips CR and LF inside base64; one spelling per key is required here.
    String vkey = Vectors.PETER_VKEY;
    String broken = vkey.substring(0, 40) + "\n" + vkey.substring(40);
    assertThrows(IllegalArgumentException.class, () -> NoteVerifiers.parse(broken));
  }

  static LongStream seeds() {
    return LongStream.range(0, 50);
  }

  /** Random 32-byte strings are mostly not curve points; verification must just say no. */
  @ParameterizedTest
  @MethodSource("seeds")
  void verifierOfArbitraryKeyBytesNeverThrows(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] key = new byte[33];
    random.nextBytes(key);
    key[0] = (byte) (random.nextBoolean() ? 0x01 : 0x04);
    byte[] raw = java.util.Arrays.copyOfRange(key, 1, 33);
    int id = KeyText.keyId("k", key[0], raw);
    NoteVerifier verifier =
        NoteVerifiers.parse("k+" + KeyText.hex8(id) + "+" + Base64.getEncoder().encodeToString(key));
    byte[] signature = new byte[random.nextInt(0, 80)];
    random.nextBytes(signature);
    byte[] message = Vectors.SOFA_BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(verifier.verify(message, signature));
  }
}
