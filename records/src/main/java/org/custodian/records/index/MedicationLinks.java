package org.custodian.records.index;

import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Which stored Medication a resource's {@code medication[x]} refers to (MedicationRequest,
 * MedicationAdministration, MedicationDispense, MedicationStatement, or any type with that element): the
 * store gives such a resource the Medication's sensitive categories as well as its own, since a
 * prescription says what its Medication says.
 *
 * <p>A reference is read as {@code Medication/<id>} whether it is relative, absolute or versioned, as the
 * patient compartment reads {@code Patient} references ({@link Compartments#patientId}) and the record
 * summary reads this one: a client may write this server's own references absolutely, and reading one
 * that points elsewhere as local can only withhold more, never less. A contained Medication ({@code #id})
 * is part of the resource and is classified with it ({@link Sensitivity}); anything else (a
 * {@code medicationCodeableConcept}, a reference that is not to a Medication) names none.
 */
public final class MedicationLinks {
    public static final String MEDICATION = "Medication";

    /** [base/]Medication/id[/_history/n], the id as FHIR R4 allows one. */
    private static final Pattern TARGET = Pattern.compile("(?:^|/)Medication/([-A-Za-z0-9.]{1,64})(?:/_history/[^/]+)?$");

    private MedicationLinks() {}

    /**
     * The Medication ({@code Medication/<id>}) {@code r} refers to, if any.
     *
     * @param resolve how the resource's references are rewritten when it is stored (a bundle's
     *     {@code urn:uuid:} to the {@code Medication/<id>} it becomes)
     */
    public static Optional<String> of(Resource r, UnaryOperator<String> resolve) {
        Property p = r.getNamedProperty("medication[x]");
        if (p == null) {
            return Optional.empty();
        }
        for (Base b : p.getValues()) {
            if (b instanceof Reference ref && ref.hasReference() && !ref.getReference().startsWith("#")) {
                return Optional.ofNullable(target(resolve.apply(ref.getReference())));
            }
        }
        return Optional.empty();
    }

    /** {@code Medication/<id>} for a reference to a Medication, or null. */
    public static String target(String reference) {
        if (reference == null) {
            return null;
        }
        Matcher m = TARGET.matcher(reference);
        return m.find() ? MEDICATION + "/" + m.group(1) : null;
    }
}
