package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Verification of single Ed25519 witness cosignatures, type 0x04 (c2sp.org/tlog-cosignature,
 * "Format" and "Ed25519 signed message").
 */
public final class Cosignatures {
  private Cosignatures() {}

  /**
   * Returns the timestamp of {@code sig} when it is a valid cosignature of {@code cp} by the key
   * of {@code cosignatureVerifier}, or empty when it is not: another name or key ID, the wrong
   * length, a timestamp above 2^63 - 1, or a signature that does not verify.
   *
   * <p>The verifier MUST be a cosignature verifier, as {@link NoteVerifiers#parse} returns for a
   * type 0x04 key or {@link CosignatureSigner#verifier()} returns; any other verifier is refused
   * with an {@link IllegalArgumentException}, as it would check another message. The spec lets
   * verifiers reject timestamps in the future; that policy is the caller's, who gets the
   * timestamp.
   */
  public static Optional<Long> verify(
      NoteVerifier cosignatureVerifier, Checkpoint cp, NoteSignature sig) {
    requireNonNull(cosignatureVerifier, "cosignatureVerifier is null");
    requireNonNull(cp, "cp is null");
    requireNonNull(sig, "sig is null");
    if (!(cosignatureVerifier instanceof CosignatureV1Verifier)) {
      throw new IllegalArgumentException(
          "not a cosignature/v1 verifier (signature type 0x04): " + cosignatureVerifier.name());
    }
    if (!sig.name().equals(cosignatureVerifier.name()) || sig.keyId() != cosignatureVerifier.keyId()) {
      return Optional.empty();
    }
    byte[] signature = sig.signature();
    long timestamp = CosignatureV1Verifier.timestamp(signature);
    if (timestamp < 0
        || !cosignatureVerifier.verify(cp.body().getBytes(StandardCharsets.UTF_8), signature)) {
      return Optional.empty();
    }
    return Optional.of(timestamp);
  }
}
