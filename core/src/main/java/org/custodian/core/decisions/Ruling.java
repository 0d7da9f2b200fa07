package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import org.custodian.core.registers.Relationship;

/**
 * A decision with what it was made under: the request, the relationship found, the governed rules
 * version and the patient's consent version (-1 when they could not be read), and the agreement the request
 * fell under (null when none).
 */
public record Ruling(AccessRequest request, Decision decision, Relationship relationship, int rulesVersion, int consentVersion,
        String agreementId) {
    public Ruling {
        requireNonNull(request, "request is null");
        requireNonNull(decision, "decision is null");
        requireNonNull(relationship, "relationship is null");
    }

    /** A ruling under no agreement. */
    public Ruling(AccessRequest request, Decision decision, Relationship relationship, int rulesVersion, int consentVersion) {
        this(request, decision, relationship, rulesVersion, consentVersion, null);
    }
}
