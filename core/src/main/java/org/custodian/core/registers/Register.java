package org.custodian.core.registers;

import java.util.Optional;
import org.custodian.core.vocabulary.Codes;

/**
 * The seven registers, in the order a register file is applied (each may refer to the ones before).
 * The code is the register file's section name and the {@code register} member of a
 * {@code register.change} ledger entry.
 */
public enum Register {
    ORGANISATIONS("organisations"),
    PEOPLE("people"),
    CARE_RELATIONSHIPS("careRelationships"),
    PROXIES("proxies"),
    PROJECTS("projects"),
    AGREEMENTS("agreements"),
    HOSTING("hosting");

    private final String code;

    Register(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Register> fromCode(String code) {
        return Codes.find(Register.class, Register::code, code);
    }
}
