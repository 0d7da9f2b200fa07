package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/**
 * A result or measurement with a value (an Observation): a test result, a vital sign, an answer to a
 * questionnaire.
 *
 * @param name what was measured ("Unknown" when the record does not say)
 * @param value the value in words with its unit ("82 kg", "Negative", "Yes"); for a measurement in parts
 *     such as blood pressure, each part named ("Systolic blood pressure: 120 mmHg; Diastolic ...")
 * @param kind what sort of result: "Vital signs", "Laboratory test", "Questionnaire", "Social history",
 *     ..., the category's own name, or "Other"
 * @param interpretation what the result means, when the record says ("High", "Normal", "Positive")
 * @param status "Final", "Preliminary", "Not available yet", "Amended", "Corrected", "Cancelled",
 *     "Recorded in error" or "Unknown"
 * @param when when it was measured, in words, or "Unknown"
 * @param date when it was measured ({@code effective[x]}), what the section is ordered by
 */
public record ResultItem(String reference, String name, String value, String kind, Optional<String> interpretation, String status,
        String when, Optional<SummaryDate> date, Set<SensitiveCategory> categories) implements SummaryItem {

    private static final Map<String, String> CATEGORIES = Map.of("vital-signs", "Vital signs", "laboratory", "Laboratory test",
            "survey", "Questionnaire", "social-history", "Social history", "imaging", "Imaging", "exam", "Examination",
            "procedure", "Procedure", "therapy", "Therapy", "activity", "Activity");

    /** HL7 v3 ObservationInterpretation codes with a plain meaning. */
    private static final Map<String, String> INTERPRETATIONS = Map.ofEntries(Map.entry("H", "High"), Map.entry("HH", "Very high"),
            Map.entry("HU", "Very high"), Map.entry("L", "Low"), Map.entry("LL", "Very low"), Map.entry("LU", "Very low"),
            Map.entry("N", "Normal"), Map.entry("A", "Abnormal"), Map.entry("AA", "Very abnormal"), Map.entry("POS", "Positive"),
            Map.entry("NEG", "Negative"), Map.entry("DET", "Detected"), Map.entry("ND", "Not detected"), Map.entry("IND", "Inconclusive"),
            Map.entry("E", "Equivocal"), Map.entry("<", "Below what the test can measure"), Map.entry(">", "Above what the test can measure"));

    public ResultItem {
        requireNonNull(reference, "reference is null");
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(interpretation, "interpretation is null");
        requireNonNull(status, "status is null");
        requireNonNull(when, "when is null");
        requireNonNull(date, "date is null");
        categories = SummaryItem.copyOf(categories);
    }

    /** Whether the Observation has a value to show: its own, or one of its parts'. Those without are not results. */
    static boolean hasValue(Observation o) {
        if (o.hasValue() && !o.getValue().isEmpty()) {
            return true;
        }
        return o.getComponent().stream().anyMatch(c -> c.hasValue() && !c.getValue().isEmpty());
    }

    static ResultItem from(StoredVersion v, Observation o) {
        String value;
        if (o.hasValue() && !o.getValue().isEmpty()) {
            value = Words.value(o.getValue());
        } else {
            List<String> parts = new ArrayList<>();
            for (Observation.ObservationComponentComponent c : o.getComponent()) {
                if (c.hasValue() && !c.getValue().isEmpty()) {
                    parts.add(Words.concept(c.getCode()) + ": " + Words.value(c.getValue()));
                }
            }
            value = parts.isEmpty() ? UNKNOWN : String.join("; ", parts);
        }
        String status = switch (Objects.requireNonNullElse(o.getStatusElement().getValueAsString(), "")) {
            case "final" -> "Final";
            case "preliminary" -> "Preliminary";
            case "registered" -> "Not available yet";
            case "amended" -> "Amended";
            case "corrected" -> "Corrected";
            case "cancelled" -> "Cancelled";
            case "entered-in-error" -> "Recorded in error";
            default -> UNKNOWN;
        };
        Optional<SummaryDate> date = o.hasEffective() ? Order.dateOf(o.getEffective()) : Optional.empty();
        return new ResultItem(v.reference(), Words.concept(o.getCode()), value, kind(o.getCategory()), interpretation(o.getInterpretation()),
                status, date.map(SummaryDate::words).orElse(UNKNOWN), date, v.categories());
    }

    private static String kind(List<CodeableConcept> categories) {
        for (CodeableConcept cc : categories) {
            for (Coding c : cc.getCoding()) {
                if (c.hasCode() && CATEGORIES.containsKey(c.getCode())) {
                    return CATEGORIES.get(c.getCode());
                }
            }
        }
        for (CodeableConcept cc : categories) {
            Optional<String> named = Words.named(cc);
            if (named.isPresent()) {
                return named.get();
            }
        }
        return "Other";
    }

    private static Optional<String> interpretation(List<CodeableConcept> interpretations) {
        List<String> words = new ArrayList<>();
        for (CodeableConcept cc : interpretations) {
            Optional<String> known = cc.getCoding().stream().filter(c -> c.hasCode() && interpretationSystem(c))
                    .map(c -> INTERPRETATIONS.get(c.getCode()))
                    .filter(Objects::nonNull).findFirst();
            words.add(known.or(() -> Words.named(cc)).orElse(null));
        }
        return Words.joined(words);
    }

    /** The HL7 v3 and v2 (table 0078) interpretation systems share these codes; another system's "H" may not mean high. */
    private static boolean interpretationSystem(Coding c) {
        return !c.hasSystem() || c.getSystem().endsWith("v3-ObservationInterpretation") || c.getSystem().endsWith("v2-0078");
    }
}
