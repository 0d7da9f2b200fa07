package org.custodian.records.index;

import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Whose record a resource is in: the patient compartment, by the logical id of the Patient. Fails
 * closed: a resource is treated as directory data (practitioners, organisations, places, medicines),
 * which any authenticated caller may read, only if its type is on the {@link #DIRECTORY} list; every
 * other type must name its patient or it is refused. A Medication is the one directory type that can
 * also be in a patient's record: one written with a patient's records is given that patient by the
 * writer ({@code write/MedicationOwners}), not by {@link #patientOf}, which cannot see the rest of the write.
 */
public final class Compartments {
    /** Types that are never about one patient. Anything else is patient data. */
    public static final Set<String> DIRECTORY = Set.of("Practitioner", "PractitionerRole", "Organization", "OrganizationAffiliation",
            "Location", "HealthcareService", "Endpoint", "Medication", "Substance", "CodeSystem", "ValueSet", "ConceptMap",
            "StructureDefinition", "Questionnaire", "PlanDefinition", "ActivityDefinition", "Library");

    /** Where each kind of resource names its patient, in the order looked at. */
    private static final String[] PATIENT_ELEMENTS = {"patient", "subject", "beneficiary", "target"};

    private Compartments() {}

    public static boolean isDirectory(String resourceType) {
        return DIRECTORY.contains(resourceType);
    }

    /**
     * Whether versions of this type can be in a patient's record: every type that is not directory data,
     * and Medication, which is directory data when written on its own but a patient's when a write brings
     * it in with that patient's records ({@code write/MedicationOwners}). Every read path MUST gate the
     * versions of such a type that have a patient, and MUST NOT treat the type as directory data.
     */
    public static boolean mayBePatientData(String resourceType) {
        return !isDirectory(resourceType) || MedicationLinks.MEDICATION.equals(resourceType);
    }

    /**
     * The logical id of the Patient whose record {@code r} belongs to; empty for directory data.
     *
     * @throws IllegalArgumentException if {@code r} is patient data that names no Patient (by a
     *     {@code Patient/id} reference, already resolved from any {@code urn:uuid:})
     */
    public static Optional<String> patientOf(Resource r) {
        return patientOf(r, java.util.function.UnaryOperator.identity());
    }

    /**
     * As {@link #patientOf(Resource)}, reading each reference as {@code resolve} rewrites it (a bundle's
     * {@code urn:uuid:} to the {@code Patient/id} it becomes).
     */
    public static Optional<String> patientOf(Resource r, java.util.function.UnaryOperator<String> resolve) {
        if (r instanceof Patient) {
            return Optional.of(r.getIdElement().getIdPart());
        }
        String type = r.fhirType();
        if (isDirectory(type)) {
            return Optional.empty();
        }
        for (String element : PATIENT_ELEMENTS) {
            Property p = r.getNamedProperty(element);
            if (p == null) {
                continue;
            }
            for (Base b : p.getValues()) {
                if (b instanceof Reference ref && ref.hasReference()) {
                    String id = patientId(resolve.apply(ref.getReference()));
                    if (id != null) {
                        return Optional.of(id);
                    }
                }
            }
        }
        throw new IllegalArgumentException("a " + type + " is about a patient and must reference one (Patient/<id> in one of "
                + String.join(", ", PATIENT_ELEMENTS) + "), so that the patient's choices govern it");
    }

    /** The id in a {@code Patient/<id>} reference (relative or absolute), or null. */
    public static String patientId(String reference) {
        if (reference == null) {
            return null;
        }
        int at = reference.lastIndexOf("Patient/");
        if (at < 0 || (at > 0 && reference.charAt(at - 1) != '/')) {
            return null;
        }
        String rest = reference.substring(at + "Patient/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash); // Patient/x/_history/2 names Patient/x
        return id.isEmpty() ? null : id;
    }
}
