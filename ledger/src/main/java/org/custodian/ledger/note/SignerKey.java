package org.custodian.ledger.note;

/**
 * An Ed25519 private key bound to a key name and a signature type: what {@link NoteSigner} (type
 * 0x01) and {@link CosignatureSigner} (type 0x04) share. Never prints its seed.
 */
final class SignerKey {
  final String name;
  final byte alg;
  final int keyId;
  private final byte[] seed;
  private final Ed25519.Keys keys;

  private SignerKey(String name, byte alg, byte[] seed) {
    this.name = KeyText.checkName(name);
    this.alg = alg;
    this.seed = seed.clone();
    this.keys = Ed25519.fromSeed(this.seed);
    this.keyId = KeyText.keyId(name, alg, keys.publicKey());
  }

  static SignerKey generate(String name, byte alg) {
    return new SignerKey(name, alg, Ed25519.newSeed());
  }

  /** Parses a private key text of type {@code alg}, checking its key ID against the public key. */
  static SignerKey parse(String text, byte alg) {
    KeyText.Parts parts = KeyText.parsePrivateKey(text);
    if (parts.alg() != alg) {
      throw new IllegalArgumentException(
          String.format(
              "private key has algorithm 0x%02x, expected 0x%02x", parts.alg() & 0xff, alg & 0xff));
    }
    if (parts.key().length != Ed25519.SEED_BYTES) {
      throw new IllegalArgumentException("private key must hold a 32-byte Ed25519 seed");
    }
    SignerKey key = new SignerKey(parts.name(), alg, parts.key());
    KeyText.checkKeyId(parts, key.publicKey(), "private key");
    return key;
  }

  byte[] publicKey() {
    return keys.publicKey().clone();
  }

  String privateKeyText() {
    return KeyText.privateKeyText(name, keyId, alg, seed);
  }

  String verifierKeyText() {
    return KeyText.verifierKeyText(name, keyId, alg, keys.publicKey());
  }

  byte[] sign(byte[] message) {
    return Ed25519.sign(keys.privateKey(), message);
  }

  /** A note signature line by this key: em dash, space, name, space, base64(key ID || signature), newline. */
  String signatureLine(byte[] signature) {
    return new NoteSignature(name, keyId, signature).line();
  }

  @Override
  public String toString() {
    return name + "+" + KeyText.hex8(keyId);
  }
}
