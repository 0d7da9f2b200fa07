package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.CareRelationship;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Proxy;
import org.custodian.core.registers.Registers;
import org.custodian.core.registers.Relationship;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The facts a decision needs from the registers, looked up for one day: how the requester stands to
 * the patient, how the named project stands, and which agreement the request falls under. The gate uses these; so does anything that must
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

    /**
     * The agreement, if any, that a secondary-use request by its organisation for its purpose falls under on
     * {@code today}. Every agreement of the organisation naming the purpose holds the request to it: an agreement in
     * force that covers the form, resource types and categories wins (the first by id); otherwise the closest miss
     * is recorded, so that suspending or ending an agreement refuses the very next request.
     */
    public AgreementMatch agreement(AccessRequest r, LocalDate today) {
        if (!r.purpose().group().isSecondary()) {
            return AgreementMatch.NONE;
        }
        AgreementState best = AgreementState.NONE;
        String bestId = null;
        for (Agreement a : registers.agreementsOf(r.organisation().id())) {
            if (!a.purposes().contains(r.purpose())) {
                continue;
            }
            AgreementState state;
            if (!a.inForce(today)) {
                state = AgreementState.NOT_IN_FORCE;
            } else if (!r.form().atMost(a.form())) {
                state = AgreementState.FORM_EXCEEDED;
            } else if (!a.coversResources(r.resources()) || !a.categories().containsAll(r.categories())) {
                state = AgreementState.DATA_EXCEEDED;
            } else {
                EnumSet<SensitiveCategory> outside = EnumSet.allOf(SensitiveCategory.class);
                outside.removeAll(a.categories());
                return new AgreementMatch(AgreementState.IN_FORCE, a.id(), r.categories().isEmpty() ? outside : Set.of());
            }
            // The closest miss: an agreement in force but exceeded says more than one not in force.
            if (bestId == null || state.ordinal() > best.ordinal()) {
                best = state;
                bestId = a.id();
            }
        }
        return bestId == null ? AgreementMatch.NONE : new AgreementMatch(best, bestId, Set.of());
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
