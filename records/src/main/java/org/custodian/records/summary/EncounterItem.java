package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;

/**
 * A contact with a service: an appointment, a visit, a hospital stay (an Encounter).
 *
 * @param description what it was, from its type ("General examination of patient"), else its setting,
 *     else "Unknown"
 * @param setting where or how it happened, from its class: "Appointment", "Emergency care", "Hospital
 *     stay", "Home visit", "Video or phone appointment", ...; empty when the record has no class
 * @param status "Planned", "Arrived", "In progress", "Finished", "Cancelled", "Recorded in error", ... or "Unknown"
 * @param organisation the organisation that provided it, by the name the record gives, if it gives one
 * @param practitioner the first person named as taking part, by the name the record gives, if any
 * @param when when it started, in words, or "Unknown"
 * @param date when it started ({@code period.start}), what the section is ordered by
 */
public record EncounterItem(String reference, String description, Optional<String> setting, String status, Optional<String> organisation,
        Optional<String> practitioner, String when, Optional<SummaryDate> date, Set<SensitiveCategory> categories) implements SummaryItem {

    /** HL7 v3 ActEncounterCode, the codes Encounter.class uses. */
    private static final Map<String, String> CLASSES = Map.ofEntries(Map.entry("AMB", "Appointment"), Map.entry("EMER", "Emergency care"),
            Map.entry("IMP", "Hospital stay"), Map.entry("ACUTE", "Hospital stay"), Map.entry("NONAC", "Hospital stay"),
            Map.entry("OBSENC", "Stay for observation"), Map.entry("PRENC", "Visit before a hospital stay"), Map.entry("SS", "Day case"),
            Map.entry("VR", "Video or phone appointment"), Map.entry("HH", "Home visit"), Map.entry("FLD", "Visit outside a clinic"));

    public EncounterItem {
        requireNonNull(reference, "reference is null");
        requireNonNull(description, "description is null");
        requireNonNull(setting, "setting is null");
        requireNonNull(status, "status is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(practitioner, "practitioner is null");
        requireNonNull(when, "when is null");
        requireNonNull(date, "date is null");
        categories = SummaryItem.copyOf(categories);
    }

    static EncounterItem from(StoredVersion v, Encounter e) {
        Optional<String> setting = setting(e.hasClass_() ? e.getClass_() : null);
        String description = Words.firstConcept(e.getType());
        if (description.equals(UNKNOWN) && setting.isPresent()) {
            description = setting.get();
        }
        String status = switch (Objects.requireNonNullElse(e.getStatusElement().getValueAsString(), "")) {
            case "planned" -> "Planned";
            case "arrived", "triaged" -> "Arrived";
            case "in-progress" -> "In progress";
            case "onleave" -> "On leave";
            case "finished" -> "Finished";
            case "cancelled" -> "Cancelled";
            case "entered-in-error" -> "Recorded in error";
            default -> UNKNOWN;
        };
        Optional<String> organisation = e.hasServiceProvider() ? display(e.getServiceProvider()) : Optional.empty();
        Optional<String> practitioner = e.getParticipant().stream().filter(Encounter.EncounterParticipantComponent::hasIndividual)
                .map(p -> display(p.getIndividual())).flatMap(Optional::stream).findFirst();
        Optional<SummaryDate> date = e.hasPeriod() ? Order.dateOf(e.getPeriod()) : Optional.empty();
        String when = date.map(SummaryDate::words).orElseGet(() -> e.hasPeriod() ? Words.period(e.getPeriod()) : UNKNOWN);
        return new EncounterItem(v.reference(), description, setting, status, organisation, practitioner, when, date, v.categories());
    }

    private static Optional<String> setting(Coding c) {
        if (c == null) {
            return Optional.empty();
        }
        if (c.hasCode() && CLASSES.containsKey(c.getCode())) {
            return Optional.of(CLASSES.get(c.getCode()));
        }
        return Words.text(c.getDisplay()).map(Words::untagged);
    }

    private static Optional<String> display(Reference r) {
        return Words.text(r.getDisplay());
    }
}
