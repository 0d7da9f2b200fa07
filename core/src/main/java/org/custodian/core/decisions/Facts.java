package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.custodian.core.registers.Relationship;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * Everything a decision depends on, already looked up: the finite request space the policy is a
 * function of (and the space the exhaustive statutory test enumerates). The sets are read, never
 * changed or kept, by the policy; they are not copied, because this is the hot path.
 *
 * @param requestedCategories the sensitive categories asked for; empty means the whole record
 * @param projectId the project named, or null
 * @param refusedPurposes the purpose groups the patient refused
 * @param organisationRefused the patient refused the requester's organisation
 * @param withheldCategories the categories the patient withholds from this requester
 * @param agreement the agreement the request falls under ({@link AgreementMatch#NONE} when none names its purpose)
 */
public record Facts(Sector sector, Role role, Purpose purpose, DataForm form, Set<SensitiveCategory> requestedCategories,
        Relationship relationship, ProjectState projectState, String projectId,
        Set<PurposeGroup> refusedPurposes, boolean organisationRefused, Set<SensitiveCategory> withheldCategories,
        AgreementMatch agreement) {

    public Facts {
        requireNonNull(sector, "sector is null");
        requireNonNull(role, "role is null");
        requireNonNull(purpose, "purpose is null");
        requireNonNull(form, "form is null");
        requireNonNull(requestedCategories, "requestedCategories is null");
        requireNonNull(relationship, "relationship is null");
        requireNonNull(projectState, "projectState is null");
        requireNonNull(refusedPurposes, "refusedPurposes is null");
        requireNonNull(withheldCategories, "withheldCategories is null");
        requireNonNull(agreement, "agreement is null");
        if ((projectId == null) != (projectState == ProjectState.NONE)) {
            throw new IllegalArgumentException("a project state needs a project id, and only then");
        }
    }

    /** Facts of a request that no agreement names (most tests, and every request but secondary uses). */
    public Facts(Sector sector, Role role, Purpose purpose, DataForm form, Set<SensitiveCategory> requestedCategories,
            Relationship relationship, ProjectState projectState, String projectId,
            Set<PurposeGroup> refusedPurposes, boolean organisationRefused, Set<SensitiveCategory> withheldCategories) {
        this(sector, role, purpose, form, requestedCategories, relationship, projectState, projectId, refusedPurposes, organisationRefused,
                withheldCategories, AgreementMatch.NONE);
    }
}
