package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * An allergy or intolerance.
 *
 * @param substance what it is to ("Unknown" when the record does not say)
 * @param reaction the reactions recorded, in words ("Hives; Wheezing"), if any
 * @param criticality how dangerous a reaction could be: "High risk", "Low risk", "Risk not known"
 *     (unable to assess) or "Unknown" (not recorded)
 * @param status "Active", "Inactive", "Resolved", "Ruled out", "Recorded in error" or "Unknown"
 * @param active whether its clinical status is active: active ones come first
 * @param when when it was recorded, in words, or "Unknown"
 * @param date when it was recorded ({@code recordedDate}), what the section is ordered by
 */
public record AllergyItem(String reference, String substance, Optional<String> reaction, String criticality, String status, boolean active,
        String when, Optional<SummaryDate> date, Set<SensitiveCategory> categories) implements SummaryItem {

    public AllergyItem {
        requireNonNull(reference, "reference is null");
        requireNonNull(substance, "substance is null");
        requireNonNull(reaction, "reaction is null");
        requireNonNull(criticality, "criticality is null");
        requireNonNull(status, "status is null");
        requireNonNull(when, "when is null");
        requireNonNull(date, "date is null");
        categories = SummaryItem.copyOf(categories);
    }

    static AllergyItem from(StoredVersion v, AllergyIntolerance a) {
        String criticality = switch (Objects.requireNonNullElse(a.getCriticalityElement().getValueAsString(), "")) {
            case "high" -> "High risk";
            case "low" -> "Low risk";
            case "unable-to-assess" -> "Risk not known";
            default -> UNKNOWN;
        };
        Optional<String> clinical = Words.code(a.getClinicalStatus());
        String status = switch (Words.code(a.getVerificationStatus()).orElse("")) {
            case "refuted" -> "Ruled out";
            case "entered-in-error" -> "Recorded in error";
            default -> switch (clinical.orElse("")) {
                case "active" -> "Active";
                case "inactive" -> "Inactive";
                case "resolved" -> "Resolved";
                default -> UNKNOWN;
            };
        };
        // With no code, a reaction's substance may still name it.
        String substance = Words.concept(a.getCode());
        if (substance.equals(UNKNOWN)) {
            List<CodeableConcept> reactionSubstances = new ArrayList<>();
            a.getReaction().forEach(r -> reactionSubstances.add(r.getSubstance()));
            substance = Words.firstConcept(reactionSubstances);
        }
        List<String> reactions = new ArrayList<>();
        for (AllergyIntolerance.AllergyIntoleranceReactionComponent r : a.getReaction()) {
            for (CodeableConcept m : r.getManifestation()) {
                Words.named(m).ifPresent(reactions::add);
            }
            if (r.getManifestation().isEmpty() || r.getManifestation().stream().allMatch(m -> Words.named(m).isEmpty())) {
                Words.text(r.getDescription()).ifPresent(reactions::add);
            }
        }
        Optional<SummaryDate> date = Order.dateOf(a.getRecordedDateElement());
        return new AllergyItem(v.reference(), substance, Words.joined(reactions), criticality, status,
                clinical.filter(Order.ACTIVE_ALLERGY::contains).isPresent(), date.map(SummaryDate::words).orElse(UNKNOWN), date,
                v.categories());
    }
}
