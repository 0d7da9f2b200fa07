package org.custodian.records.summary;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * What every line of a summary carries, whatever its section: where it comes from, the date it is
 * ordered by, and the sensitive categories it falls under, so that a page can mark it (for example "Mental
 * health: you have chosen who sees this").
 */
public sealed interface SummaryItem permits ConditionItem, MedicineItem, AllergyItem, ImmunisationItem, ResultItem, EncounterItem {
    /** What a summary says where the record says nothing. */
    String UNKNOWN = "Unknown";

    /** The resource the line is read from, {@code Type/id}: stable, for links to the full record. */
    String reference();

    /**
     * The date the section is ordered by (the type's principal date, as the store sorts by it), or empty
     * when the record gives none; undated lines come after dated ones.
     */
    Optional<SummaryDate> date();

    /** The date in words for the page: the date, the record's own words when it gives no date, or "Unknown". */
    String when();

    /** The sensitive categories the resource falls under, in a stable order (empty for most). */
    Set<SensitiveCategory> categories();

    /** Whether the page should mark this line as sensitive. */
    default boolean sensitive() {
        return !categories().isEmpty();
    }

    /** An unmodifiable copy in the enum's order, so pages list categories the same way every time. */
    static Set<SensitiveCategory> copyOf(Collection<SensitiveCategory> categories) {
        return categories.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(categories));
    }
}
