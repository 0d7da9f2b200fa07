package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Relationship;

/**
 * The facts a decision needs from the registers, looked up for one day: how the requester stands to
 * the patient, and how the named project stands. The gate uses these; so does anything that must
 * decide the same way (the Cedar comparison in the benchmarks).
 */
public final class FactLookup {
    private final Registers registers;

    public FactLookup(Registers registers) {
        this.registers = requireNonNull(registers, "registers is null");
    }

    /** How the requester stands to the patient on {@code today}; the closest relationship wins. */
    public Relationship relationship(Person requester, NhsNumber patient, LocalDate today) {
        if (patient.equals(requester.nhsNumber())) {
            return Relationship.SELF;
        }
        for (Proxy p : registers.proxies(patient)) {
            if (p.proxy().equals(requester.id()) && p.inForce(today) && p.scope().mayRead()) {
                return Relationship.PROXY;
            }
        }
        Relationship found = Relationship.NONE;
        for (CareRelationship c : registers.careRelationships(patient)) {
            if (c.organisation().equals(requester.organisation()) && c.inForce(today)) {
                if (c.kind() == CareRelationship.Kind.REGISTERED) {
                    return Relationship.CARE_REGISTERED;
                }
                found = Relationship.CARE_OTHER;
            }
        }
        return found;
    }

    /** How the request's project stands on {@code today}, for the governed rules. */
    public ProjectState projectState(AccessRequest r, LocalDate today) {
        if (r.projectId() == null) {
            return ProjectState.NONE;
        }
        Project p = registers.project(r.projectId()).orElse(null);
        if (p == null) {
            return ProjectState.NOT_IN_FORCE;
        }
        if (!p.organisation().equals(r.organisation().id())) {
            return ProjectState.OTHER_ORGANISATION;
        }
        if (p.purpose() != r.purpose()) {
            return ProjectState.OTHER_PURPOSE;
        }
        if (!r.form().atMost(p.form())) {
            return ProjectState.FORM_EXCEEDED;
        }
        if (!p.inForce(today)) {
            return ProjectState.NOT_IN_FORCE;
        }
        return p.ethicsReference() == null || p.ethicsReference().isBlank() ? ProjectState.IN_FORCE_WITHOUT_ETHICS : ProjectState.IN_FORCE;
    }
}
