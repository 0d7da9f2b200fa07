package org.custodian.records.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which stored Medication a resource's medication[x] names. */
class TestMedicationLinks {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "Medication/abc, Medication/abc",
        "Medication/abc/_history/3, Medication/abc",
        "https://custodian.example/fhir/Medication/abc, Medication/abc",
        "https://custodian.example/fhir/Medication/abc/_history/1, Medication/abc",
        "Medication/a-b.C9, Medication/a-b.C9",
        "Medication, none",
        "Medication/, none",
        "Medication/a b, none",
        "Substance/abc, none",
        "Medication/abc/extra, none",
        "PseudoMedication/abc, none",
        "urn:oid:1.2.3, none",
    })
    void referencesAreReadAsTheLocalMedicationTheyName(String reference, String expected) {
        assertEquals(expected, MedicationLinks.target(reference));
    }

    @Test
    void aBundlesReferenceIsReadAsItIsRewritten() {
        MedicationRequest rx = new MedicationRequest();
        rx.setMedication(new Reference("urn:uuid:0f2e"));
        UnaryOperator<String> resolve = r -> r.equals("urn:uuid:0f2e") ? "Medication/stored-id" : r;
        assertEquals(Optional.of("Medication/stored-id"), MedicationLinks.of(rx, resolve));
    }

    @Test
    void containedMedicationsAndConceptsAndOtherTypesNameNone() {
        MedicationRequest contained = new MedicationRequest();
        contained.setMedication(new Reference("#med1"));
        assertEquals(Optional.empty(), MedicationLinks.of(contained, UnaryOperator.identity()), "contained: classified with the resource");
        MedicationRequest concept = new MedicationRequest();
        concept.setMedication(new CodeableConcept().setText("paracetamol"));
        assertEquals(Optional.empty(), MedicationLinks.of(concept, UnaryOperator.identity()));
        assertEquals(Optional.empty(), MedicationLinks.of(new Observation(), UnaryOperator.identity()));
        MedicationAdministration given = new MedicationAdministration();
        given.setMedication(new Reference("Medication/x"));
        assertEquals(Optional.of("Medication/x"), MedicationLinks.of(given, UnaryOperator.identity()));
    }
}
