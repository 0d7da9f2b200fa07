package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * A condition, problem or diagnosis.
 *
 * @param name what it is called ("Unknown" when the record does not say)
 * @param status its clinical status in words: "Active", "Came back", "Relapsed", "Inactive", "In
 *     remission", "Resolved"; "Ruled out" or "Recorded in error" when its verification says so; else "Unknown"
 * @param current whether it is active (active, recurrence or relapse): current ones come first
 * @param when when it started, in words ("2 June 2013", "Aged 45 years", the record's own words), or "Unknown"
 * @param date the onset's date when the record gives one as a date or period (what the section is ordered by)
 */
public record ConditionItem(String reference, String name, String status, boolean current, String when, Optional<SummaryDate> date,
        Set<SensitiveCategory> categories) implements SummaryItem {

    public ConditionItem {
        requireNonNull(reference, "reference is null");
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(when, "when is null");
        requireNonNull(date, "date is null");
        categories = SummaryItem.copyOf(categories);
    }

    static ConditionItem from(StoredVersion v, Condition c) {
        Optional<String> clinical = Words.code(c.getClinicalStatus());
        Optional<String> verification = Words.code(c.getVerificationStatus());
        String status = switch (verification.orElse("")) {
            case "refuted" -> "Ruled out";
            case "entered-in-error" -> "Recorded in error";
            default -> switch (clinical.orElse("")) {
                case "active" -> "Active";
                case "recurrence" -> "Came back";
                case "relapse" -> "Relapsed";
                case "inactive" -> "Inactive";
                case "remission" -> "In remission";
                case "resolved" -> "Resolved";
                default -> SummaryItem.UNKNOWN;
            };
        };
        // The same test the store's query orders by (clinical-status tokens), so that what it cuts and what
        // this orders agree.
        boolean current = clinical.filter(Order.CURRENT_CONDITION::contains).isPresent();
        Type onset = c.hasOnset() ? c.getOnset() : null;
        Optional<SummaryDate> date = Order.dateOf(onset);
        return new ConditionItem(v.reference(), Words.concept(c.getCode()), status, current, onset(onset, date), date, v.categories());
    }

    private static String onset(Type onset, Optional<SummaryDate> date) {
        if (date.isPresent()) {
            return date.get().words();
        }
        if (onset instanceof Age age && age.hasValue()) {
            return "Aged " + Words.quantity(age);
        }
        if (onset instanceof Range r) {
            // "Aged 40 to 45 years", "Aged at least 40 years"
            String range = Words.range(r);
            return range.equals(UNKNOWN) ? range : "Aged " + range.substring(0, 1).toLowerCase(Locale.ROOT) + range.substring(1);
        }
        if (onset instanceof StringType s && s.hasValue() && !s.getValue().isBlank()) {
            return s.getValue().strip();
        }
        if (onset instanceof Period p || onset instanceof BaseDateTimeType) {
            return Words.value(onset);
        }
        return SummaryItem.UNKNOWN;
    }
}
