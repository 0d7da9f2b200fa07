package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;
import org.custodian.core.vocabulary.Codes;

/**
 * An organisation's care team caring for a patient: the practice the patient is registered with, or
 * a referral or episode of care for a period. {@code to} is null for an open-ended relationship.
 */
public record CareRelationship(NhsNumber patient, String organisation, Kind kind, LocalDate from, LocalDate to) {

    public enum Kind {
        /** The GP practice the patient is registered with. */
        REGISTERED("registered"),
        REFERRAL("referral"),
        EPISODE("episode");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Kind> fromCode(String code) {
            return Codes.find(Kind.class, Kind::code, code);
        }
    }

    public CareRelationship {
        requireNonNull(patient, "patient is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(from, "from is null");
        if (to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("a care relationship cannot end (" + to + ") before it starts (" + from + ")");
        }
    }

    /** In force on {@code day}: from and to are both inclusive. */
    public boolean inForce(LocalDate day) {
        return !day.isBefore(from) && (to == null || !day.isAfter(to));
    }
}
