package org.custodian.ledger.note;

/**
 * Verifies the signatures of one key on signed notes (c2sp.org/signed-note, "Signatures").
 *
 * <p>A verifier is identified by its key name and 32-bit key ID; {@link Note#open} uses that pair
 * to pick the verifier for each signature line. Implementations MUST return false, and MUST NOT
 * throw, for any signature that is not valid, including ones of the wrong length. They MUST be
 * safe to use from several threads.
 *
 * <p>Obtain verifiers from {@link NoteVerifiers#parse}, {@link NoteSigner#verifier()} or {@link
 * CosignatureSigner#verifier()}.
 */
public interface NoteVerifier {
  /** The key name. */
  String name();

  /** The key ID, as the first four bytes of the signature carry it (big-endian). */
  int keyId();

  /**
   * Whether {@code signature} (without the 4-byte key ID) is a valid signature by this key of the
   * note text {@code message} (UTF-8, including its final newline).
   */
  boolean verify(byte[] message, byte[] signature);
}
