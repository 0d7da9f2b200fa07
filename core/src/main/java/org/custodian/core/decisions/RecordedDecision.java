package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

/** A decision durably recorded in the ledger: the receipt is its index and RFC 6962 leaf hash. */
public record RecordedDecision(Ruling ruling, long index, byte[] leafHash) {
    public RecordedDecision {
        requireNonNull(ruling, "ruling is null");
        requireNonNull(leafHash, "leafHash is null");
    }

    public Decision decision() {
        return ruling.decision();
    }
}
