package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import org.custodian.core.registers.Relationship;

/**
 * A decision with what it was made under: the request, the relationship found, the governed rules
 * version and the patient's consent version (-1 when they could not be read).
 */
public record Ruling(AccessRequest request, Decision decision, Relationship relationship, int rulesVersion, int consentVersion) {
    public Ruling {
        requireNonNull(request, "request is null");
        requireNonNull(decision, "decision is null");
        requireNonNull(relationship, "relationship is null");
    }
}
