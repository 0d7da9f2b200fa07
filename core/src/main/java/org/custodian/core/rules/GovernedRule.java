package org.custodian.core.rules;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;

/**
 * A governed rule: which sectors may receive which data forms for which secondary purposes, and on
 * what conditions. Governed rules only ever add permissions for secondary use, and only within what
 * the statutory rules allow: the gate applies the statutory rules first.
 *
 * @param requiresProject an approved project in force, of the requester's organisation, for this purpose
 * @param requiresEthicsReference that project must carry an ethics approval reference
 * @param minimumCount for aggregate data: counts below this are suppressed (OpenSAFELY's rule uses 8)
 */
public record GovernedRule(String id, String description, Set<Sector> sectors, Set<Purpose> purposes, Set<DataForm> forms,
        boolean requiresProject, boolean requiresEthicsReference, int minimumCount) {

    public GovernedRule {
        requireNonNull(id, "id is null");
        requireNonNull(description, "description is null");
        if (!id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("rule id \"" + id + "\" must be lower-case letters, digits and hyphens");
        }
        sectors = immutable(sectors, Sector.class, "sectors");
        purposes = immutable(purposes, Purpose.class, "purposes");
        forms = immutable(forms, DataForm.class, "forms");
        for (Purpose p : purposes) {
            if (!p.group().isSecondary()) {
                throw new IllegalArgumentException("rule \"" + id + "\": " + p.code()
                        + " is not a secondary purpose; governed rules govern secondary use only");
            }
        }
        if (requiresEthicsReference && !requiresProject) {
            throw new IllegalArgumentException("rule \"" + id + "\": an ethics reference is a project's, so it needs requiresProject");
        }
        if (forms.contains(DataForm.PSEUDONYMISED) && !requiresProject) {
            throw new IllegalArgumentException("rule \"" + id + "\": pseudonymised data is pseudonymised with a project's key,"
                    + " so a rule allowing it needs requiresProject");
        }
        if (minimumCount < 1) {
            throw new IllegalArgumentException("rule \"" + id + "\": minimumCount must be at least 1");
        }
    }

    private static <E extends Enum<E>> Set<E> immutable(Set<E> values, Class<E> type, String name) {
        requireNonNull(values, name + " is null");
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return java.util.Collections.unmodifiableSet(EnumSet.copyOf(values));
    }

    public boolean covers(Sector sector, Purpose purpose, DataForm form) {
        return sectors.contains(sector) && purposes.contains(purpose) && forms.contains(form);
    }
}
