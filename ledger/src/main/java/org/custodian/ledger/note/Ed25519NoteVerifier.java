package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * Verifier of Ed25519 note signatures, signature type 0x01 (c2sp.org/signed-note, "Ed25519
 * signatures"): a plain Ed25519 signature of the note text.
 */
final class Ed25519NoteVerifier implements NoteVerifier {
  static final byte ALG = 0x01;

  private final String name;
  private final int keyId;
  private final byte[] rawKey;
  private final PublicKey key;

  Ed25519NoteVerifier(String name, byte[] rawKey) {
    this.name = KeyText.checkName(name);
    this.rawKey = rawKey.clone();
    this.key = Ed25519.publicKey(this.rawKey);
    this.keyId = KeyText.keyId(name, ALG, this.rawKey);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    requireNonNull(message, "message is null");
    requireNonNull(signature, "signature is null");
    return Ed25519.verify(key, message, signature);
  }

  /** Equal verifiers check the same key under the same name, so {@link Note#open} may merge them. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519NoteVerifier other
        && name.equals(other.name)
        && Arrays.equals(rawKey, other.rawKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(rawKey));
  }

  @Override
  public String toString() {
    return KeyText.verifierKeyText(name, keyId, ALG, rawKey);
  }
}
