package org.custodian.core.activity;

import java.time.Instant;

/**
 * What a patient narrows their list to; every part optional (null: no condition).
 *
 * @param from entries recorded at or after this instant
 * @param to entries recorded before this instant
 * @param organisation one organisation's id
 * @param purpose one HL7 PurposeOfUse code
 */
public record ActivityFilter(Instant from, Instant to, String organisation, String purpose) {
    public static final ActivityFilter ALL = new ActivityFilter(null, null, null, null);

    public ActivityFilter {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the period must end after it starts");
        }
        organisation = blankToNull(organisation);
        purpose = blankToNull(purpose);
    }

    public boolean isEmpty() {
        return from == null && to == null && organisation == null && purpose == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
