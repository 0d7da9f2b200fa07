package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;

/**
 * A medicine prescribed or recommended (a MedicationRequest).
 *
 * @param name the medicine, from the request's code or the Medication it refers to ("Unknown" if neither says)
 * @param dosage how to take it, as the record words it, if it does
 * @param status in words: "Current", "Paused", "Stopped", "Finished", "Cancelled", "Not started yet",
 *     "Recorded in error" or "Unknown"
 * @param current whether it is taken now or paused (status active or on-hold): current ones come first
 * @param when when it was prescribed, in words, or "Unknown"
 * @param date when it was prescribed ({@code authoredOn}), what the section is ordered by
 * @param categories the request's categories and those of the Medication it refers to
 */
public record MedicineItem(String reference, String name, Optional<String> dosage, String status, boolean current, String when,
        Optional<SummaryDate> date, Set<SensitiveCategory> categories) implements SummaryItem {

    public MedicineItem {
        requireNonNull(reference, "reference is null");
        requireNonNull(name, "name is null");
        requireNonNull(dosage, "dosage is null");
        requireNonNull(status, "status is null");
        requireNonNull(when, "when is null");
        requireNonNull(date, "date is null");
        categories = SummaryItem.copyOf(categories);
    }

    static MedicineItem from(StoredVersion v, MedicationRequest m, Medications medications) {
        EnumSet<SensitiveCategory> categories = EnumSet.noneOf(SensitiveCategory.class);
        categories.addAll(v.categories());
        String name;
        if (m.hasMedicationCodeableConcept()) {
            name = Words.concept(m.getMedicationCodeableConcept());
        } else if (m.hasMedicationReference()) {
            Reference ref = m.getMedicationReference();
            Optional<Medications.Found> found = medications.find(m, ref);
            found.ifPresent(f -> categories.addAll(f.categories()));
            // The Medication's own code first; the reference's display is what the writer saw, possibly older.
            name = found.flatMap(f -> Words.named(f.code())).or(() -> Words.text(ref.getDisplay()))
                    .orElseGet(() -> found.map(f -> Words.concept(f.code())).orElse(UNKNOWN));
        } else {
            name = UNKNOWN;
        }
        String code = Objects.requireNonNullElse(m.getStatusElement().getValueAsString(), "");
        String status = switch (code) {
            case "active" -> "Current";
            case "on-hold" -> "Paused";
            case "stopped" -> "Stopped";
            case "completed" -> "Finished";
            case "cancelled" -> "Cancelled";
            case "draft" -> "Not started yet";
            case "entered-in-error" -> "Recorded in error";
            default -> UNKNOWN;
        };
        Optional<SummaryDate> date = Order.dateOf(m.getAuthoredOnElement());
        return new MedicineItem(v.reference(), name, dosage(m.getDosageInstruction()), status, Order.CURRENT_MEDICINE.contains(code),
                date.map(SummaryDate::words).orElse(UNKNOWN), date, categories);
    }

    /** The dosage texts (or, without one, the instructions for the patient), in the record's words. */
    private static Optional<String> dosage(List<Dosage> dosages) {
        List<String> words = new ArrayList<>();
        for (Dosage d : dosages) {
            if (d.hasText()) {
                words.add(d.getText());
            } else if (d.hasPatientInstruction()) {
                words.add(d.getPatientInstruction());
            } else {
                for (CodeableConcept c : d.getAdditionalInstruction()) {
                    Words.named(c).ifPresent(words::add);
                }
            }
        }
        return Words.joined(words);
    }
}
