package org.custodian.ledger.verify;

import java.util.List;

/**
 * What {@link LedgerVerifier} found. {@code problems} is empty exactly when every entry, tile and
 * checkpoint checked out; each problem names the entry index it concerns where there is one.
 */
public record VerificationReport(long entries, long erasedContents, long checkpoints, long treeSize,
        List<Problem> problems, long problemsNotListed) {

    /** One finding: the entry index concerned (or -1) and what is wrong, in plain words. */
    public record Problem(long index, String message) {
        @Override
        public String toString() {
            return index >= 0 ? "entry " + index + ": " + message : message;
        }
    }

    public VerificationReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
