package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * A witness's Ed25519 cosigning key, signature type 0x04 (c2sp.org/tlog-cosignature, "Format" and
 * "Ed25519 signed message").
 *
 * <p>The key ID is SHA-256(name || 0x0A || 0x04 || public key)[:4]. The verifier key text is
 * {@code <name>+<key ID>+<base64(0x04 || public key)>}; the private key text {@code
 * PRIVATE+KEY+<name>+<key ID>+<base64(0x04 || seed)>}, which MUST be kept secret. As the signed
 * message does not commit to the cosigner name, one key MUST NOT serve two witness names; the
 * type byte 0x04 in the private key text keeps it from being mistaken for a note signing key.
 * Instances are immutable and thread-safe.
 */
public final class CosignatureSigner {
  private final SignerKey key;

  private CosignatureSigner(SignerKey key) {
    this.key = key;
  }

  public static CosignatureSigner generate(String name) {
    requireNonNull(name, "name is null");
    return new CosignatureSigner(SignerKey.generate(name, CosignatureV1Verifier.ALG));
  }

  /**
   * Parses a private key text of type 0x04, refusing with an {@link IllegalArgumentException} any
   * other type, a malformed text or a key ID that does not match the key.
   */
  public static CosignatureSigner fromPrivateKeyText(String text) {
    requireNonNull(text, "text is null");
    return new CosignatureSigner(SignerKey.parse(text, CosignatureV1Verifier.ALG));
  }

  public String name() {
    return key.name;
  }

  public int keyId() {
    return key.keyId;
  }

  public String privateKeyText() {
    return key.privateKeyText();
  }

  /** The verifier key text, with signature type 0x04. */
  public String verifierKeyText() {
    return key.verifierKeyText();
  }

  public NoteVerifier verifier() {
    return new CosignatureV1Verifier(key.name, key.publicKey());
  }

  /**
   * Cosigns a checkpoint as of {@code unixSeconds} (POSIX time, not negative) and returns one note
   * signature line, {@code "— <name> <base64(key ID || 8-byte big-endian timestamp || Ed25519
   * signature)>\n"}. The signature covers {@code "cosignature/v1\ntime <unixSeconds>\n"} followed
   * by the whole checkpoint body, extension lines included.
   *
   * <p>By cosigning, the witness states that, as of that time, this is the largest tree consistent
   * with all it has seen of the log. Callers MUST have checked consistency before calling this.
   */
  public String cosign(Checkpoint checkpoint, long unixSeconds) {
    requireNonNull(checkpoint, "checkpoint is null");
    if (unixSeconds < 0) {
      throw new IllegalArgumentException("cosignature timestamp must not be negative");
    }
    byte[] message =
        CosignatureV1Verifier.message(unixSeconds, checkpoint.body().getBytes(StandardCharsets.UTF_8));
    byte[] signature = key.sign(message);
    byte[] timestamped = new byte[CosignatureV1Verifier.SIGNATURE_BYTES];
    for (int i = 0; i < CosignatureV1Verifier.TIMESTAMP_BYTES; i++) {
      timestamped[i] = (byte) (unixSeconds >>> (56 - 8 * i));
    }
    System.arraycopy(signature, 0, timestamped, CosignatureV1Verifier.TIMESTAMP_BYTES, signature.length);
    return key.signatureLine(timestamped);
  }

  @Override
  public String toString() {
    return "CosignatureSigner[" + key + "]";
  }
}
