package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.StringType;

/**
 * A vaccination (an Immunization).
 *
 * @param vaccine the vaccine ("Unknown" when the record does not say)
 * @param status "Given", "Not given", "Recorded in error" or "Unknown"
 * @param when when it was given, in words, the record's own words when it gives no date, or "Unknown"
 * @param date when it was given ({@code occurrenceDateTime}), what the section is ordered by
 */
public record ImmunisationItem(String reference, String vaccine, String status, String when, Optional<SummaryDate> date,
        Set<SensitiveCategory> categories) implements SummaryItem {

    public ImmunisationItem {
        requireNonNull(reference, "reference is null");
        requireNonNull(vaccine, "vaccine is null");
        requireNonNull(status, "status is null");
        requireNonNull(when, "when is null");
        requireNonNull(date, "date is null");
        categories = SummaryItem.copyOf(categories);
    }

    static ImmunisationItem from(StoredVersion v, Immunization i) {
        String status = switch (Objects.requireNonNullElse(i.getStatusElement().getValueAsString(), "")) {
            case "completed" -> "Given";
            case "not-done" -> "Not given";
            case "entered-in-error" -> "Recorded in error";
            default -> UNKNOWN;
        };
        Optional<SummaryDate> date = i.hasOccurrence() ? Order.dateOf(i.getOccurrence()) : Optional.empty();
        String when = date.map(SummaryDate::words).orElseGet(() -> i.hasOccurrence() && i.getOccurrence() instanceof StringType s
                ? Words.text(s.getValue()).orElse(UNKNOWN) : UNKNOWN);
        return new ImmunisationItem(v.reference(), Words.concept(i.getVaccineCode()), status, when, date, v.categories());
    }
}
