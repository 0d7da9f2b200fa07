package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A note that {@link Note#open} accepted, with the known verifiers whose signatures verified (each
 * once, in the order their first signature appears). It holds at least one verifier: a note
 * without a verified signature MUST NOT be trusted and is never opened (c2sp.org/signed-note,
 * "Signatures").
 *
 * <p>The note may carry further signatures by keys that were not known; those were not checked
 * and say nothing.
 */
public record VerifiedNote(Note note, List<NoteVerifier> verifiedBy) {
  public VerifiedNote {
    requireNonNull(note, "note is null");
    requireNonNull(verifiedBy, "verifiedBy is null");
    verifiedBy = List.copyOf(verifiedBy);
    if (verifiedBy.isEmpty()) {
      throw new IllegalArgumentException("a verified note has at least one verified signature");
    }
  }
}
