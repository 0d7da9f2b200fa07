package org.custodian.ledger.note;

/**
 * Parses verifier keys ("vkeys"): {@code <name>+<8 hex digit key ID>+<base64(alg || public
 * key)>}, the encoding of golang.org/x/mod/sumdb/note that c2sp.org/signed-note and
 * c2sp.org/tlog-cosignature refer to.
 *
 * <p>Supported signature types: 0x01, Ed25519 note signatures (c2sp.org/signed-note, "Ed25519
 * signatures"), and 0x04, timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature).
 * A key of any other type, a key ID that does not match the name and key, or any deviation from
 * the encoding MUST be refused; this class refuses them with an {@link IllegalArgumentException}
 * saying why.
 */
public final class NoteVerifiers {
  private NoteVerifiers() {}

  public static NoteVerifier parse(String verifierKeyText) {
    KeyText.Parts parts = KeyText.parseVerifierKey(verifierKeyText);
    switch (parts.alg()) {
      case Ed25519NoteVerifier.ALG:
      case CosignatureV1Verifier.ALG:
        if (parts.key().length != Ed25519.PUBLIC_KEY_BYTES) {
          throw new IllegalArgumentException("verifier key must hold a 32-byte Ed25519 public key");
        }
        KeyText.checkKeyId(parts, parts.key(), "verifier key");
        return parts.alg() == Ed25519NoteVerifier.ALG
            ? new Ed25519NoteVerifier(parts.name(), parts.key())
            : new CosignatureV1Verifier(parts.name(), parts.key());
      default:
        throw new IllegalArgumentException(
            String.format("unsupported verifier key algorithm 0x%02x", parts.alg() & 0xff));
    }
  }
}
