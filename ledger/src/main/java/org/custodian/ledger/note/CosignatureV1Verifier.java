package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * Verifier of timestamped Ed25519 witness cosignatures, signature type 0x04
 * (c2sp.org/tlog-cosignature, "Ed25519 signed message").
 *
 * <p>{@link Note#open} hands every verifier the note text as the message. A cosignature is not a
 * signature of that text but of {@code "cosignature/v1\ntime <timestamp>\n" || text}, with the
 * timestamp carried in the first 8 bytes of the signature; this verifier rebuilds that message,
 * so cosigned checkpoints open like any other note. A cosignature only has a meaning over a
 * checkpoint, so a message that is not a checkpoint body never verifies.
 */
final class CosignatureV1Verifier implements NoteVerifier {
  static final byte ALG = 0x04;
  static final int TIMESTAMP_BYTES = 8;
  /** The signature as the note line carries it after the key ID: timestamp || Ed25519 signature. */
  static final int SIGNATURE_BYTES = TIMESTAMP_BYTES + Ed25519.SIGNATURE_BYTES;

  private final String name;
  private final int keyId;
  private final byte[] rawKey;
  private final PublicKey key;

  CosignatureV1Verifier(String name, byte[] rawKey) {
    this.name = KeyText.checkName(name);
    this.rawKey = rawKey.clone();
    this.key = Ed25519.publicKey(this.rawKey);
    this.keyId = KeyText.keyId(name, ALG, this.rawKey);
  }

  /**
   * The signed message for a checkpoint body at a timestamp: the header line, the timestamp line
   * (ASCII decimal, no leading zeroes) and the whole body.
   */
  static byte[] message(long timestamp, byte[] checkpointBody) {
    byte[] header =
        ("cosignature/v1\ntime " + Long.toString(timestamp) + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] message = Arrays.copyOf(header, header.length + checkpointBody.length);
    System.arraycopy(checkpointBody, 0, message, header.length, checkpointBody.length);
    return message;
  }

  /**
   * The timestamp of a cosignature (without key ID), or -1 when it is not a well-formed Ed25519
   * cosignature: the wrong length, or a timestamp above 2^63 - 1, which the spec forbids.
   */
  static long timestamp(byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      return -1;
    }
    long t = 0;
    for (int i = 0; i < TIMESTAMP_BYTES; i++) {
      t = (t << 8) | (signature[i] & 0xff);
    }
    return t < 0 ? -1 : t; // Negative exactly when the unsigned value exceeds 2^63 - 1.
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
    long timestamp = timestamp(signature);
    if (timestamp < 0 || !isCheckpointBody(message)) {
      return false;
    }
    return Ed25519.verify(
        key,
        message(timestamp, message),
        Arrays.copyOfRange(signature, TIMESTAMP_BYTES, SIGNATURE_BYTES));
  }

  private static boolean isCheckpointBody(byte[] message) {
    try {
      Checkpoint.parse(NoteText.decodeUtf8(message));
      return true;
    } catch (CharacterCodingException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CosignatureV1Verifier other
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
