package org.custodian.core.consent;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * A patient's choices. Everything not refused is allowed (within the rules): with no choices
 * recorded, a patient has refused nothing.
 *
 * @param refusedPurposes purpose groups refused: {@link PurposeGroup#DIRECT_CARE} (sharing for direct
 *     care beyond the registered GP practice), {@link PurposeGroup#RESEARCH}, {@link PurposeGroup#PLANNING}.
 *     A research or planning refusal covers pseudonymised and aggregate data too.
 * @param refusedOrganisations organisations refused for every purpose, even as a processor
 * @param withheldCategories sensitive categories withheld from everyone except the named people
 *     (person ids; e.g. the clinicians treating the patient); an empty set withholds from everyone
 */
public record ConsentChoices(Set<PurposeGroup> refusedPurposes, Set<String> refusedOrganisations,
        Map<SensitiveCategory, Set<String>> withheldCategories) {

    /** The purpose groups a patient may refuse. The others are refused or allowed by rule, not by choice. */
    public static final Set<PurposeGroup> CHOOSABLE =
            Collections.unmodifiableSet(EnumSet.of(PurposeGroup.DIRECT_CARE, PurposeGroup.RESEARCH, PurposeGroup.PLANNING));

    public static final ConsentChoices NOTHING_REFUSED = new ConsentChoices(Set.of(), Set.of(), Map.of());

    public ConsentChoices {
        requireNonNull(refusedPurposes, "refusedPurposes is null");
        requireNonNull(refusedOrganisations, "refusedOrganisations is null");
        requireNonNull(withheldCategories, "withheldCategories is null");
        EnumSet<PurposeGroup> groups = EnumSet.noneOf(PurposeGroup.class);
        for (PurposeGroup g : refusedPurposes) {
            if (!CHOOSABLE.contains(g)) {
                throw new IllegalArgumentException("a patient cannot choose about " + g.words()
                        + ": only direct care beyond the registered practice, research and planning are choices");
            }
            groups.add(g);
        }
        refusedPurposes = Collections.unmodifiableSet(groups);
        refusedOrganisations = Collections.unmodifiableSet(new TreeSet<>(refusedOrganisations));
        EnumMap<SensitiveCategory, Set<String>> withheld = new EnumMap<>(SensitiveCategory.class);
        withheldCategories.forEach((category, allowed) ->
                withheld.put(requireNonNull(category, "category is null"), Collections.unmodifiableSet(new TreeSet<>(allowed))));
        withheldCategories = Collections.unmodifiableMap(withheld);
    }

    public boolean refuses(PurposeGroup group) {
        return refusedPurposes.contains(group);
    }

    public boolean refusesOrganisation(String organisationId) {
        return refusedOrganisations.contains(organisationId);
    }

    /** The categories withheld from this person: withheld, and the person is not named as an exception. */
    public EnumSet<SensitiveCategory> withheldFrom(String personId) {
        EnumSet<SensitiveCategory> withheld = EnumSet.noneOf(SensitiveCategory.class);
        withheldCategories.forEach((category, allowed) -> {
            if (!allowed.contains(personId)) {
                withheld.add(category);
            }
        });
        return withheld;
    }
}
