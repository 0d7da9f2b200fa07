package org.custodian.records.access;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.rules.Reason;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The gate's answer for one patient's record in one request, already in the ledger.
 *
 * @param nhsNumber null when the record is not linked to an NHS number (then it is always refused)
 * @param withheld categories to leave out of what is returned
 * @param receipt the ledger index recording the decision (or refusal), or -1 if a refusal could not be recorded
 */
public record PatientAccess(String patientId, NhsNumber nhsNumber, boolean permitted, Set<SensitiveCategory> withheld, List<Reason> reasons,
        long receipt, boolean breakGlass) {

    public static final Reason UNLINKED = new Reason("record.unlinked",
            "This record has no valid NHS number, so nobody's consent or care relationship can be checked for it: it is not released.");

    public PatientAccess {
        requireNonNull(patientId, "patientId is null");
        withheld = Set.copyOf(withheld);
        reasons = List.copyOf(reasons);
    }

    /** Whether a resource in these categories may be returned. */
    public boolean mayReturn(Set<SensitiveCategory> categories) {
        if (!permitted) {
            return false;
        }
        for (SensitiveCategory c : categories) {
            if (withheld.contains(c)) {
                return false;
            }
        }
        return true;
    }
}
