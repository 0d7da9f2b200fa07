package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;
import org.custodian.core.vocabulary.Codes;

/** A carer or attorney (a person in the registers) acting for a patient, within a scope, for a period. */
public record Proxy(String proxy, NhsNumber patient, Scope scope, LocalDate from, LocalDate to) {

    public enum Scope {
        /** See the patient's record and its uses. */
        READ("read"),
        /** Change the patient's choices. */
        CONSENT("consent"),
        /** Both. */
        FULL("full");

        private final String code;

        Scope(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public boolean mayRead() {
            return this == READ || this == FULL;
        }

        public boolean mayChangeConsent() {
            return this == CONSENT || this == FULL;
        }

        public static Optional<Scope> fromCode(String code) {
            return Codes.find(Scope.class, Scope::code, code);
        }
    }

    public Proxy {
        requireNonNull(proxy, "proxy is null");
        requireNonNull(patient, "patient is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(from, "from is null");
        if (to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("a proxy cannot end (" + to + ") before it starts (" + from + ")");
        }
    }

    public boolean inForce(LocalDate day) {
        return !day.isBefore(from) && (to == null || !day.isAfter(to));
    }
}
