package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * An Ed25519 note signing key, signature type 0x01 (c2sp.org/signed-note, "Ed25519
 * signatures"), as a log uses to sign its checkpoints (c2sp.org/tlog-checkpoint, "Signatures").
 *
 * <p>The private key text is {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte
 * seed)>} and the verifier key text {@code <name>+<key ID>+<base64(0x01 || 32-byte public key)>},
 * byte for byte as golang.org/x/mod/sumdb/note writes them. The private key text MUST be kept
 * secret; nothing in this class prints it except {@link #privateKeyText()}. Instances are
 * immutable and thread-safe.
 */
public final class NoteSigner {
  private final SignerKey key;

  private NoteSigner(SignerKey key) {
    this.key = key;
  }

  /** A new key from the platform's SecureRandom; {@code name} must be a valid key name. */
  public static NoteSigner generate(String name) {
    requireNonNull(name, "name is null");
    return new NoteSigner(SignerKey.generate(name, Ed25519NoteVerifier.ALG));
  }

  /**
   * Parses a private key text. Refuses, with an {@link IllegalArgumentException} saying why (and
   * never quoting key material), any text that is malformed, of another signature type, or whose
   * key ID does not match the key.
   */
  public static NoteSigner fromPrivateKeyText(String text) {
    requireNonNull(text, "text is null");
    return new NoteSigner(SignerKey.parse(text, Ed25519NoteVerifier.ALG));
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

  public String verifierKeyText() {
    return key.verifierKeyText();
  }

  public NoteVerifier verifier() {
    return new Ed25519NoteVerifier(key.name, key.publicKey());
  }

  /**
   * Signs a note text and returns one signature line, {@code "— <name> <base64(key ID ||
   * signature)>\n"}, to append after the text and a blank line. The text MUST end with a newline
   * and MUST NOT contain control characters other than newline (c2sp.org/signed-note, "Format");
   * otherwise this throws {@link IllegalArgumentException}.
   */
  public String sign(String noteText) {
    requireNonNull(noteText, "noteText is null");
    NoteText.checkText(noteText);
    byte[] text = noteText.getBytes(StandardCharsets.UTF_8);
    if (text.length >= NoteText.MAX_NOTE_BYTES) {
      throw new IllegalArgumentException("note text is too large to be signed");
    }
    return key.signatureLine(key.sign(text));
  }

  @Override
  public String toString() {
    return "NoteSigner[" + key + "]";
  }
}
