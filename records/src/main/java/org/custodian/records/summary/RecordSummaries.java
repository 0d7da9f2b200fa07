package org.custodian.records.summary;

import static java.util.Objects.requireNonNull;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.custodian.records.fhir.FhirR4;
import org.custodian.records.store.StoredVersion;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds a {@link RecordSummary} from one patient's resources. It summarises what it is given and decides
 * nothing: the caller MUST have asked the gate, and MUST have left out what the gate withheld (the
 * categories a patient keeps from this viewer); {@link SummaryQueries} fetches exactly that.
 *
 * <p>Never throws on valid FHIR however sparse: what the record does not say is "Unknown" or empty.
 */
public final class RecordSummaries {
    /**
     * The resource types a summary reads: what a caller names when it asks the gate. Medication is
     * directory data, read only where a request names its medicine by reference.
     */
    public static final List<String> TYPES = List.of("Patient", "Condition", "MedicationRequest", "Medication", "AllergyIntolerance",
            "Immunization", "Observation", "Encounter");

    private RecordSummaries() {}

    /** {@link #of(List, SummaryLimits)} with {@link SummaryLimits#DEFAULT}. */
    public static RecordSummary of(List<StoredVersion> resources) {
        return of(resources, SummaryLimits.DEFAULT);
    }

    /**
     * @param resources current versions of one patient's Patient, Condition, MedicationRequest,
     *     AllergyIntolerance, Immunization, Observation and Encounter resources, in any order, with any
     *     Medication they refer to; other types are ignored
     * @param limits how many lines each section keeps; a section given more says so ({@link Section#more()})
     * @throws IllegalArgumentException if the resources belong to more than one patient: one summary MUST
     *     NOT show another person's record
     */
    public static RecordSummary of(List<StoredVersion> resources, SummaryLimits limits) {
        requireNonNull(resources, "resources is null");
        requireNonNull(limits, "limits is null");
        String patientId = onePatient(resources);
        IParser parser = FhirR4.context().newJsonParser();
        List<String> unreadable = new ArrayList<>();
        Map<String, List<Parsed>> byType = new HashMap<>();
        for (StoredVersion v : resources) {
            if (!TYPES.contains(v.type())) {
                continue;
            }
            Resource r = read(parser, v);
            if (r == null) {
                unreadable.add(v.reference());
            } else {
                byType.computeIfAbsent(v.type(), t -> new ArrayList<>()).add(new Parsed(v, r));
            }
        }

        Map<String, Medications.Found> stored = new HashMap<>();
        for (Parsed p : byType.getOrDefault("Medication", List.of())) {
            stored.put(p.version().reference(), new Medications.Found(((Medication) p.resource()).getCode(), p.version().categories()));
        }
        Medications medications = new Medications(stored);

        Optional<PatientDetails> patient = patient(byType.getOrDefault("Patient", List.of()), patientId, unreadable);
        Section<ConditionItem> conditions = section(byType, "Condition", limits.others(), unreadable,
                (v, r) -> rank(ConditionItem.from(v, (Condition) r), v, ConditionItem::current));
        Section<MedicineItem> medicines = section(byType, "MedicationRequest", limits.medicines(), unreadable,
                (v, r) -> rank(MedicineItem.from(v, (MedicationRequest) r, medications), v, MedicineItem::current));
        Section<AllergyItem> allergies = section(byType, "AllergyIntolerance", limits.others(), unreadable,
                (v, r) -> rank(AllergyItem.from(v, (AllergyIntolerance) r), v, AllergyItem::active));
        Section<ImmunisationItem> immunisations = section(byType, "Immunization", limits.others(), unreadable,
                (v, r) -> rank(ImmunisationItem.from(v, (Immunization) r), v, i -> false));
        Section<ResultItem> results = section(byType, "Observation", limits.results(), unreadable,
                (v, r) -> ResultItem.hasValue((Observation) r) ? rank(ResultItem.from(v, (Observation) r), v, i -> false) : null);
        Section<EncounterItem> encounters = section(byType, "Encounter", limits.encounters(), unreadable,
                (v, r) -> rank(EncounterItem.from(v, (Encounter) r), v, i -> false));
        return new RecordSummary(patient, conditions, medicines, allergies, immunisations, results, encounters, unreadable);
    }

    /** The patient's own Patient resource (the one the others belong to), if given. */
    private static Optional<PatientDetails> patient(List<Parsed> patients, String patientId, List<String> unreadable) {
        for (Parsed p : patients) {
            if (patientId == null || p.version().id().equals(patientId)) {
                try {
                    return Optional.of(PatientDetails.from(p.version(), (Patient) p.resource()));
                } catch (RuntimeException e) {
                    unreadable.add(p.version().reference());
                }
            }
        }
        return Optional.empty();
    }

    private record Parsed(StoredVersion version, Resource resource) {}

    /** The one patient the resources belong to (null if only directory data was given). */
    private static String onePatient(List<StoredVersion> resources) {
        String patientId = null;
        for (StoredVersion v : resources) {
            if (v.patientId() == null) {
                continue;
            }
            if (patientId == null) {
                patientId = v.patientId();
            } else if (!patientId.equals(v.patientId())) {
                throw new IllegalArgumentException("a summary is of one patient's record, but resources of Patient/" + patientId
                        + " and Patient/" + v.patientId() + " were given");
            }
        }
        return patientId;
    }

    /**
     * Stored content was checked when it was written; it is read leniently here so that content written
     * under older rules (an element since dropped) still shows. What cannot be read at all is named, not thrown.
     */
    private static Resource read(IParser parser, StoredVersion v) {
        try {
            IBaseResource r = parser.parseResource(v.content());
            return r instanceof Resource resource && resource.fhirType().equals(v.type()) ? resource : null;
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    private interface Reader<T extends SummaryItem> {
        /** The line for this resource, or null when it is not one (an Observation without a value). */
        Order.Ranked<T> read(StoredVersion v, Resource r);
    }

    private static <T extends SummaryItem> Order.Ranked<T> rank(T item, StoredVersion v, Predicate<T> first) {
        return new Order.Ranked<>(item, first.test(item), v.vid());
    }

    private static <T extends SummaryItem> Section<T> section(Map<String, List<Parsed>> byType, String type, int limit,
            List<String> unreadable, Reader<T> reader) {
        List<Order.Ranked<T>> ranked = new ArrayList<>();
        for (Parsed p : byType.getOrDefault(type, List.of())) {
            Order.Ranked<T> r;
            try {
                r = reader.read(p.version(), p.resource());
            } catch (RuntimeException e) {
                // A line this code cannot word (a bug, or FHIR it did not foresee) must not take the whole
                // page down: the patient is told that part is not shown, and tests keep this list empty.
                unreadable.add(p.version().reference());
                continue;
            }
            if (r != null) {
                ranked.add(r);
            }
        }
        ranked.sort(Order.newestFirst());
        List<T> items = new ArrayList<>(Math.min(limit, ranked.size()));
        for (int i = 0; i < ranked.size() && i < limit; i++) {
            items.add(ranked.get(i).item());
        }
        return new Section<>(items, ranked.size() > limit);
    }
}
