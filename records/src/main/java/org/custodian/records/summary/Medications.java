package org.custodian.records.summary;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.records.index.MedicationLinks;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The Medications that MedicationRequests refer to instead of naming the medicine (Synthea does so for
 * hospital medicines): stored ones, given beside the requests (directory data, or in the patient's own record when
 * written with it), and contained ones.
 */
final class Medications {
    /** A medication found: its code, and the categories of the resource it came from. */
    record Found(CodeableConcept code, Set<SensitiveCategory> categories) {}

    private final Map<String, Found> stored;

    /** @param stored by reference ({@code Medication/id}) */
    Medications(Map<String, Found> stored) {
        this.stored = Map.copyOf(stored);
    }

    Optional<Found> find(MedicationRequest request, Reference ref) {
        String target = ref.getReference();
        if (target == null || target.isBlank()) {
            return Optional.empty();
        }
        if (target.startsWith("#")) {
            // Contained in the request itself: no categories of its own beyond the request's.
            String id = target.substring(1);
            for (Resource r : request.getContained()) {
                if (r instanceof Medication med && id.equals(localId(med))) {
                    return Optional.of(new Found(med.getCode(), Set.of()));
                }
            }
            return Optional.empty();
        }
        return Optional.ofNullable(stored.get(MedicationLinks.target(target)));
    }

    private static String localId(Medication m) {
        String id = m.getIdElement().getIdPart();
        if (id == null) {
            return "";
        }
        return id.startsWith("#") ? id.substring(1) : id;
    }
}
