package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Base64;

/**
 * One signature line of a signed note (c2sp.org/signed-note, "Signatures"): the key name, the
 * 32-bit key ID and the signature bytes that follow the key ID. The signature is copied in and
 * out, so instances are immutable; equality compares the bytes.
 */
public record NoteSignature(String name, int keyId, byte[] signature) {
  public NoteSignature {
    requireNonNull(name, "name is null");
    requireNonNull(signature, "signature is null");
    KeyText.checkName(name);
    if (signature.length == 0) {
      throw new IllegalArgumentException("signature is empty");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The line as it appears in a note: em dash, space, name, space, base64(key ID || signature), newline. */
  String line() {
    byte[] bytes = new byte[4 + signature.length];
    bytes[0] = (byte) (keyId >>> 24);
    bytes[1] = (byte) (keyId >>> 16);
    bytes[2] = (byte) (keyId >>> 8);
    bytes[3] = (byte) keyId;
    System.arraycopy(signature, 0, bytes, 4, signature.length);
    return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(bytes) + "\n";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature other
        && name.equals(other.name)
        && keyId == other.keyId
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "NoteSignature[" + name + "+" + KeyText.hex8(keyId) + " "
        + Base64.getEncoder().encodeToString(signature) + "]";
  }
}
