package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

/**
 * The decision could not be recorded in the ledger, so the answer is a denial and no data may be
 * returned (invariant 1, fail closed). Callers answer 503: the refusal is not the patient's or the
 * rules' doing, and a retry may succeed.
 */
public final class DecisionNotRecordedException extends RuntimeException {
    private final Ruling ruling;

    public DecisionNotRecordedException(Ruling ruling, Throwable cause) {
        super("the decision could not be recorded in the ledger, so it is a denial: " + cause.getMessage(), cause);
        this.ruling = requireNonNull(ruling, "ruling is null");
    }

    /** What the gate would have decided; it did not take effect. */
    public Ruling ruling() {
        return ruling;
    }
}
