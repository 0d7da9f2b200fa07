package org.custodian.core.registers;

import java.util.Optional;
import org.custodian.core.vocabulary.Codes;

/** A person's role in their organisation. */
public enum Role {
    CLINICIAN("clinician"),
    RECEPTION("reception"),
    CALDICOTT_GUARDIAN("caldicott-guardian"),
    RESEARCHER("researcher"),
    ANALYST("analyst"),
    AUDITOR("auditor"),
    ADMIN("admin"),
    PATIENT("patient");

    private final String code;

    Role(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Roles that care for patients and may read records for their direct care. */
    public boolean caresForPatients() {
        return this == CLINICIAN || this == CALDICOTT_GUARDIAN;
    }

    public static Optional<Role> fromCode(String code) {
        return Codes.find(Role.class, Role::code, code);
    }
}
