package org.custodian.ledger.merkle;

/**
 * A proof, root or hash failed verification (see {@link ProofVerifier}). The message is a plain
 * reason meant for an auditor, for example {@code "proof has 3 hashes, expected 4 for index 5 in a
 * tree of size 8"}. Callers MUST treat any ProofException as a failed verification, and MUST NOT
 * parse the message: it is for people.
 */
public final class ProofException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a plain-language reason. */
  public ProofException(String reason) {
    super(reason);
  }
}
