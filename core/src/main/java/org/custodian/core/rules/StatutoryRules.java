package org.custodian.core.rules;

import java.util.EnumSet;
import org.custodian.core.registers.Relationship;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;

/**
 * The statutory rules as functions: which of them forbid a request. Pure, allocation-light, and the
 * first stage of every decision; nothing here reads configuration.
 *
 * <p>Five rules concern access requests. The other two concern other acts and have their own
 * functions: {@link #mayTakeEffect} (an algorithm's output about a person) and {@link #mayJoinPanel}
 * (membership of the governance panel).
 */
public final class StatutoryRules {
    private StatutoryRules() {}

    /**
     * The statutory rules that forbid this request; empty when none does. A person with the role
     * {@code patient} acts for themself (or as a carer), never for an organisation, so the sector
     * rules do not apply to them.
     */
    public static EnumSet<StatutoryRule> forbidding(Sector sector, Role role, Purpose purpose, DataForm form, Relationship relationship) {
        EnumSet<StatutoryRule> forbidden = EnumSet.noneOf(StatutoryRule.class);
        PurposeGroup group = purpose.group();
        boolean actsForOrganisation = role != Role.PATIENT;
        if (actsForOrganisation && sector == Sector.PRIVATE_COMPANY && !group.isDirectCare()) {
            forbidden.add(StatutoryRule.NO_PRIVATE_SECONDARY_USE);
        }
        if (actsForOrganisation && sector == Sector.OTHER_GOVERNMENT && group.isSecondary() && form != DataForm.AGGREGATE) {
            forbidden.add(StatutoryRule.NO_OTHER_GOVERNMENT_SECONDARY_USE);
        }
        if (group == PurposeGroup.MARKETING) {
            forbidden.add(StatutoryRule.NO_SALE_OR_MARKETING);
        }
        if (group == PurposeGroup.CARE_RATIONING) {
            forbidden.add(StatutoryRule.NO_VALUE_RATIONING);
        }
        if (group.isDirectCare() && !hasCareRelationship(role, relationship) && !mayBreakGlass(role, purpose)) {
            forbidden.add(StatutoryRule.CARE_NEEDS_RELATIONSHIP);
        }
        return forbidden;
    }

    /** A care relationship is the organisation's, exercised by a person whose role is to care. */
    public static boolean hasCareRelationship(Role role, Relationship relationship) {
        return relationship.isCare() && role.caresForPatients();
    }

    /** Break-glass: emergency treatment by a clinician, with or without a relationship. */
    public static boolean mayBreakGlass(Role role, Purpose purpose) {
        return purpose.group() == PurposeGroup.EMERGENCY_CARE && role == Role.CLINICIAN;
    }

    /**
     * Human review of automated decisions: an algorithm's output about a person takes effect only
     * once a named clinician has reviewed it. {@code reviewerRole} is null when nobody has.
     */
    public static boolean mayTakeEffect(Role reviewerRole, String reviewerId) {
        return reviewerRole == Role.CLINICIAN && reviewerId != null && !reviewerId.isBlank();
    }

    /** No private sector on governance bodies: nobody with any private-company affiliation. */
    public static boolean mayJoinPanel(java.util.Collection<Sector> affiliations) {
        return !affiliations.contains(Sector.PRIVATE_COMPANY);
    }
}
