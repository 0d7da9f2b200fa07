package org.custodian.records.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** Which sensitive categories a resource carries: its labels, its codes, and what it contains. */
class TestSensitivity {
    private final Sensitivity sensitivity = Sensitivity.standard();

    private static Medication labelled(String id, SensitiveCategory category) {
        Medication m = new Medication();
        m.setId(id);
        m.getMeta().addSecurity(new Coding(SensitiveCategory.SYSTEM, category.code(), null));
        m.setCode(new CodeableConcept(new Coding("https://dmd.nhs.uk", "321946009", "Sertraline 50mg tablets")));
        return m;
    }

    @Test
    void aPrescriptionCarriesTheCategoriesOfTheMedicationItContains() {
        MedicationRequest rx = new MedicationRequest();
        rx.addContained(labelled("med1", SensitiveCategory.PSY));
        rx.setMedication(new Reference("#med1"));
        assertEquals(Set.of(SensitiveCategory.PSY), sensitivity.categories(rx), "a withheld category cannot leak through a prescription");
    }

    @Test
    void aPrescriptionForADepressiveDisorderIsMentalHealthByItsReason() {
        MedicationRequest rx = new MedicationRequest();
        rx.addReasonCode(new CodeableConcept(new Coding("http://snomed.info/sct", "35489007", "Depressive disorder")));
        assertEquals(Set.of(SensitiveCategory.PSY), sensitivity.categories(rx));
    }

    @Test
    void aPlainPrescriptionHasNone() {
        MedicationRequest rx = new MedicationRequest();
        rx.setMedication(new CodeableConcept(new Coding("https://dmd.nhs.uk", "322236009", "Paracetamol 500mg tablets")));
        assertEquals(Set.of(), sensitivity.categories(rx));
    }
}
