package org.custodian.core.rules;

import static java.util.Objects.requireNonNull;

/**
 * Why a decision came out as it did: a stable rule code (for machines, statistics and audits) and
 * plain words (for the patient's page and the caller).
 */
public record Reason(String code, String text) {
    public Reason {
        requireNonNull(code, "code is null");
        requireNonNull(text, "text is null");
    }
}
