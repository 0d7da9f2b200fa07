package org.custodian.ledger.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestCosignatures {
  private static final CosignatureSigner W1 = CosignatureSigner.fromPrivateKeyText(Vectors.W1_SKEY);
  private static final Checkpoint M_INIT_CHECKPOINT =
      Checkpoint.parse("Log Checkpoint v0\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n");

  @Test
  void witnessKeyHasTheType04KeyIdAndKeyTexts() {
    assertEquals("witness.example/w1", W1.name());
    assertEquals(0x5c5ec3d8, W1.keyId());
    assertEquals(Vectors.W1_VKEY, W1.verifierKeyText());
    assertEquals(Vectors.W1_SKEY, W1.privateKeyText());
    assertInstanceOf(CosignatureV1Verifier.class, NoteVerifiers.parse(W1.verifierKeyText()));
    assertEquals(W1.verifier(), NoteVerifiers.parse(W1.verifierKeyText()));
  }

  @Test
  void cosignReproducesTheIndependentlyComputedCosignatures() {
    assertEquals(Vectors.W1_COSIG_M_INIT, W1.cosign(M_INIT_CHECKPOINT, Vectors.SOFA_WITNESS_TIME));
    assertEquals(
        Vectors.W1_COSIG_SOFA_EXTENSION_AT_0,
        W1.cosign(Checkpoint.parse(Vectors.SOFA_BODY_WITH_EXTENSION), 0));
  }

  @Test
  void signedMessageIsTheOneTheSpecShows() {
    byte[] message =
        CosignatureV1Verifier.message(
            Vectors.SOFA_WITNESS_TIME, Vectors.SOFA_BODY.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
            + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        new String(message, StandardCharsets.UTF_8));
  }

  @Test
  void timestampIsReadFromPublishedCosignatures() throws NoteException {
    byte[] transparencyDev = Base64.getDecoder().decode(Vectors.COSIG_TIMESTAMP_SIG);
    assertEquals(
        1727964367L,
        CosignatureV1Verifier.timestamp(Arrays.copyOfRange(transparencyDev, 4, transparencyDev.length)));
    byte[] notACosignature = Base64.getDecoder().decode(Vectors.NOT_A_COSIG_SIG);
    assertEquals(
        -1, CosignatureV1Verifier.timestamp(Arrays.copyOfRange(notACosignature, 4, notACosignature.length)));

    NoteSignature specExample =
        Note.parse(Vectors.SOFA_BODY + "\n" + Vectors.SOFA_LOG_SIG + Vectors.SOFA_WITNESS_SIG)
            .signatures()
            .get(1);
    assertEquals("witness.example.com/w1", specExample.name());
    assertEquals(0x8d66cf3f, specExample.keyId());
    assertEquals(Vectors.SOFA_WITNESS_TIME, CosignatureV1Verifier.timestamp(specExample.signature()));
  }

  @Test
  void verifyReturnsTheTimestampOfAValidCosignature() throws NoteException {
    NoteSignature signature = Note.parse(M_INIT_CHECKPOINT.body() + "\n" + Vectors.W1_COSIG_M_INIT).signatures().get(0);
    NoteVerifier verifier = NoteVerifiers.parse(Vectors.W1_VKEY);
    assertEquals(Optional.of(Vectors.SOFA_WITNESS_TIME), Cosignatures.verify(verifier, M_INIT_CHECKPOINT, signature));
  }

  @Test
  void verifyRejectsACosignatureOfAnyOtherCheckpointTimeOrKey() throws NoteException {
    NoteSignature signature = Note.parse(M_INIT_CHECKPOINT.body() + "\n" + Vectors.W1_COSIG_M_INIT).signatures().get(0);
    NoteVerifier verifier = W1.verifier();
    byte[] root = M_INIT_CHECKPOINT.rootHash();
    Checkpoint larger = new Checkpoint("Log Checkpoint v0", 6, root, List.of());
    Checkpoint otherOrigin = new Checkpoint("Log Checkpoint v1", 5, root, List.of());
    root[31] ^= 1;
    Checkpoint otherRoot = new Checkpoint("Log Checkpoint v0", 5, root, List.of());
    Checkpoint extended = new Checkpoint("Log Checkpoint v0", 5, M_INIT_CHECKPOINT.rootHash(), List.of("x"));
    for (Checkpoint other : List.of(larger, otherOrigin, otherRoot, extended)) {
      assertEquals(Optional.empty(), Cosignatures.verify(verifier, other, signature), other.toString());
    }

    byte[] bytes = signature.signature();
    bytes[7] ^= 1; // Another timestamp.
    NoteSignature otherTime = new NoteSignature(signature.name(), signature.keyId(), bytes);
    assertEquals(Optional.empty(), Cosignatures.verify(verifier, M_INIT_CHECKPOINT, otherTime));

    NoteSignature renamed = new NoteSignature("witness.example/w2", signature.keyId(), signature.signature());
    assertEquals(Optional.empty(), Cosignatures.verify(verifier, M_INIT_CHECKPOINT, renamed));

    CosignatureSigner otherWitness = CosignatureSigner.generate("witness.example/w1");
    assertEquals(Optional.empty(), Cosignatures.verify(otherWitness.verifier(), M_INIT_CHECKPOINT, signature));
  }

  @Test
  void timestampsAbove2To63Minus1AreRejected() {
    byte[] signature = new byte[CosignatureV1Verifier.SIGNATURE_BYTES];
    signature[0] = (byte) 0x80;
    assertEquals(-1, CosignatureV1Verifier.timestamp(signature));
    assertFalse(W1.verifier().verify(M_INIT_CHECKPOINT.body().getBytes(StandardCharsets.UTF_8), signature));
    assertEquals(
        Optional.empty(),
        Cosignatures.verify(W1.verifier(), M_INIT_CHECKPOINT, new NoteSignature(W1.name(), W1.keyId(), signature)));
    assertThrows(IllegalArgumentException.class, () -> W1.cosign(M_INIT_CHECKPOINT, -1));
  }

  @Test
  void verifyRefusesVerifiersThatAreNotCosignatureVerifiers() throws NoteException {
    NoteSignature signature = Note.parse(M_INIT_CHECKPOINT.body() + "\n" + Vectors.W1_COSIG_M_INIT).signatures().get(0);
    NoteVerifier plain = NoteVerifiers.parse(Vectors.WITNESS_VKEY);
    assertThrows(IllegalArgumentException.class, () -> Cosignatures.verify(plain, M_INIT_CHECKPOINT, signature));
  }

  @Test
  void cosignedCheckpointOpensWithTheLogAndWitnessKeys() throws NoteException {
    String cosigned = Vectors.M_INIT + Vectors.W1_COSIG_M_INIT;
    NoteVerifier log = NoteVerifiers.parse(Vectors.MONKEYS_VKEY);
    NoteVerifier witness = NoteVerifiers.parse(Vectors.W1_VKEY);
    VerifiedNote opened = Note.open(cosigned, List.of(log, witness));
    assertEquals(List.of(log, witness), opened.verifiedBy());
    assertEquals(M_INIT_CHECKPOINT, Checkpoint.parse(opened.note().text()));

    // A fresh cosignature on a fresh checkpoint, through the same path.
    NoteSigner logSigner = NoteSigner.generate("example.com/log");
    CosignatureSigner witnessSigner = CosignatureSigner.generate("example.com/witness");
    Checkpoint checkpoint = new Checkpoint("example.com/log", 42, new byte[32], List.of());
    String note =
        checkpoint.body() + "\n" + logSigner.sign(checkpoint.body())
            + witnessSigner.cosign(checkpoint, 1_700_000_000L);
    assertEquals(
        List.of(logSigner.verifier(), witnessSigner.verifier()),
        Note.open(note, List.of(logSigner.verifier(), witnessSigner.verifier())).verifiedBy());
  }

  @Test
  void aCosignatureOfTheWrongTimeMakesTheCosignedNoteFailToOpen() {
    String line = Vectors.W1_COSIG_M_INIT;
    // Change the timestamp's low byte inside the base64 (characters 8 to 16 of the value).
    int at = line.indexOf(' ', 2) + 1 + 14;
    char changed = line.charAt(at) == 'A' ? 'B' : 'A';
    String tampered = line.substring(0, at) + changed + line.substring(at + 1);
    NoteVerifier witness = NoteVerifiers.parse(Vectors.W1_VKEY);
    NoteException e = assertThrows(NoteException.class, () -> Note.open(Vectors.M_INIT + tampered, List.of(witness)));
    assertEquals("invalid signature for key witness.example/w1+5c5ec3d8", e.getMessage());
  }

  @Test
  void aCosignatureOverTextThatIsNotACheckpointNeverVerifies() {
    // Cryptographically valid, but cosignatures are only defined over checkpoints.
    SignerKey key = SignerKey.parse(Vectors.W1_SKEY, CosignatureV1Verifier.ALG);
    byte[] text = "Note\n\n".getBytes(StandardCharsets.UTF_8);
    byte[] ed25519 = key.sign(CosignatureV1Verifier.message(7, text));
    byte[] signature = new byte[CosignatureV1Verifier.SIGNATURE_BYTES];
    signature[7] = 7;
    System.arraycopy(ed25519, 0, signature, 8, ed25519.length);
    assertFalse(W1.verifier().verify(text, signature));
  }

  @Test
  void theSameSeedAsNoteKeyAndAsCosigningKeyHasDifferentKeyIdsAndSignaturesDoNotCross() {
    NoteSigner asNoteKey = NoteSigner.fromPrivateKeyText(Vectors.WITNESS_SKEY);
    byte[] seed = KeyText.parsePrivateKey(Vectors.WITNESS_SKEY).key();
    byte[] publicKey = Ed25519.fromSeed(seed).publicKey();
    byte alg = CosignatureV1Verifier.ALG;
    CosignatureSigner asCosigner =
        CosignatureSigner.fromPrivateKeyText(
            KeyText.privateKeyText("witness", KeyText.keyId("witness", alg, publicKey), alg, seed));
    assertNotEquals(asNoteKey.keyId(), asCosigner.keyId());

    String cosignature = asCosigner.cosign(M_INIT_CHECKPOINT, 1);
    byte[] raw = Base64.getDecoder().decode(cosignature.substring(cosignature.lastIndexOf(' ') + 1).trim());
    byte[] signature = Arrays.copyOfRange(raw, 4, raw.length);
    byte[] body = M_INIT_CHECKPOINT.body().getBytes(StandardCharsets.UTF_8);
    assertTrue(asCosigner.verifier().verify(body, signature));
    assertFalse(asNoteKey.verifier().verify(body, signature));
    assertFalse(asNoteKey.verifier().verify(body, Arrays.copyOfRange(signature, 8, signature.length)));
  }

  @Test
  void cosigningKeysRoundTripAndRefuseNoteKeys() {
    CosignatureSigner generated = CosignatureSigner.generate("witness.example/new");
    assertEquals(
        generated.verifierKeyText(),
        CosignatureSigner.fromPrivateKeyText(generated.privateKeyText()).verifierKeyText());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CosignatureSigner.fromPrivateKeyText(Vectors.WITNESS_SKEY));
    assertTrue(e.getMessage().contains("0x01"), e.getMessage());
    assertEquals("CosignatureSigner[witness.example/w1+5c5ec3d8]", W1.toString());
  }

  @Test
  void cosignatureRecordRefusesInvalidValues() {
    assertEquals(5, new Cosignature("w", 5).timestamp());
    assertThrows(IllegalArgumentException.class, () -> new Cosignature("w", -1));
    assertThrows(IllegalArgumentException.class, () -> new Cosignature("a b", 1));
  }

  @Test
  void remoraKeyVerifiesOnlyCosignatures() {
    NoteVerifier remora = NoteVerifiers.parse(Vectors.REMORA_VKEY);
    assertFalse(remora.verify(M_INIT_CHECKPOINT.body().getBytes(StandardCharsets.UTF_8), new byte[64]));
  }
}
