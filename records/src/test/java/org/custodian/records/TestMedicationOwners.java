package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.summary.MedicineItem;
import org.custodian.records.summary.SummaryLimits;
import org.custodian.records.summary.SummaryQueries;
import org.custodian.records.write.RecordWriter;
import org.custodian.records.write.WriteRefusedException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whose record a Medication is in (write/MedicationOwners), by the write paths that bring one in: the
 * one patient whose resources in the same write refer to it; still that patient's when written again on
 * its own; refused when it would be several patients'; directory data when written on its own. And a
 * summary never shows another patient's Medication.
 */
class TestMedicationOwners {
    private static final RecordWriter.Context GP = RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT);

    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static RecordsWorld world;
    static String ada;
    static String ben;

    @BeforeAll
    static void start() {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        world = new RecordsWorld(postgres);
        ada = world.writer.create(GP, FhirJson.parse(TestWrites.patientJson(RecordsWorld.ADA.value())), null).outcomes().get(0).id();
        ben = world.writer.create(GP, FhirJson.parse(TestWrites.patientJson(RecordsWorld.BEN.value())), null).outcomes().get(0).id();
    }

    @AfterAll
    static void stop() {
        world.close();
        postgres.close();
    }

    private static String patientOf(String id) {
        return world.store.read("Medication", id).orElseThrow().patientId();
    }

    private static Bundle transaction(String medicationId, String... patients) {
        return transactionOf(TestMedicationCategories.plainMedication(medicationId), medicationId, patients);
    }

    private static Bundle transactionOf(String medication, String medicationId, String... patients) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + medication + ",\"request\":{\"method\":\"PUT\",\"url\":\"Medication/" + medicationId + "\"}}");
        for (String p : patients) {
            b.append(",{\"resource\":").append(TestMedicationCategories.prescription(p, "Medication/" + medicationId))
                    .append(",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}}");
        }
        return (Bundle) FhirJson.parse(b.append("]}").toString());
    }

    @Test
    void aMedicationWrittenWithOnePatientsPrescriptionIsInThatPatientsRecordByEveryPath() {
        String bySender = "m-" + UUID.randomUUID();
        world.writer.bundle(GP, transaction(bySender, ada));
        assertEquals(ada, patientOf(bySender), "transaction");

        String imported = "m-" + UUID.randomUUID();
        world.writer.importBundle(RecordsWorld.operator(), transaction(imported, ben));
        assertEquals(ben, patientOf(imported), "import of a bundle");

        String lines = "m-" + UUID.randomUUID();
        Resource rx = FhirJson.parse(TestMedicationCategories.prescription(ada, "Medication/" + lines)
                .replace("{\"resourceType\":\"MedicationRequest\",", "{\"resourceType\":\"MedicationRequest\",\"id\":\"rx-" + lines + "\","));
        world.writer.importResources(RecordsWorld.operator(), List.of(rx, FhirJson.parse(TestMedicationCategories.plainMedication(lines))));
        assertEquals(ada, patientOf(lines), "import of resources in one write");
    }

    @Test
    void aBatchsEntriesCountAsOneWrite() {
        String med = "m-" + UUID.randomUUID();
        Bundle batch = transaction(med, ada);
        batch.setType(Bundle.BundleType.BATCH);
        Bundle response = world.writer.bundle(GP, batch).response();
        assertEquals("201 Created", response.getEntry().get(0).getResponse().getStatus());
        assertEquals(ada, patientOf(med), "written a few milliseconds before her prescription, still hers");

        String shared = "m-" + UUID.randomUUID();
        Bundle both = transaction(shared, ada, ben);
        both.setType(Bundle.BundleType.BATCH);
        Bundle refused = world.writer.bundle(GP, both).response();
        assertTrue(refused.getEntry().get(0).getResponse().getStatus().startsWith("422"), "the Medication's entry is refused");
        assertTrue(world.store.read("Medication", shared).isEmpty());
    }

    @Test
    void aMedicationWrittenOnItsOwnIsDirectoryDataAndOneInARecordStaysThere() {
        String formulary = "m-" + UUID.randomUUID();
        world.writer.update(GP, "Medication", formulary, FhirJson.parse(TestMedicationCategories.plainMedication(formulary)), 0);
        assertNull(patientOf(formulary));
        // A prescription of it later does not move it: it was not written with her record.
        world.writer.create(GP, FhirJson.parse(TestMedicationCategories.prescription(ada, "Medication/" + formulary)), null);
        assertNull(patientOf(formulary));

        String adas = "m-" + UUID.randomUUID();
        world.writer.bundle(GP, transaction(adas, ada));
        world.writer.update(GP, "Medication", adas, FhirJson.parse(TestMedicationCategories.hivMedication(adas)), 0);
        assertEquals(2, world.store.read("Medication", adas).orElseThrow().version());
        assertEquals(ada, patientOf(adas), "rewritten on its own, still hers");
    }

    @Test
    void aMedicationThatWouldBeInSeveralPatientsRecordsIsRefused() {
        String shared = "m-" + UUID.randomUUID();
        WriteRefusedException both = assertThrows(WriteRefusedException.class, () -> world.writer.bundle(GP, transaction(shared, ada, ben)));
        assertEquals(WriteRefusedException.Kind.UNPROCESSABLE, both.kind());
        assertTrue(world.store.read("Medication", shared).isEmpty(), "nothing stored");

        String adas = "m-" + UUID.randomUUID();
        world.writer.bundle(GP, transaction(adas, ada));
        assertThrows(WriteRefusedException.class, () -> world.writer.bundle(GP, transaction(adas, ben)), "not into Ben's record");
        assertEquals(ada, patientOf(adas));
    }

    @Test
    void aSummaryShowsItsOwnAndDirectoryMedicationsButNotAnotherPatients() {
        String adas = "m-" + UUID.randomUUID();
        world.writer.bundle(GP, transactionOf(TestMedicationCategories.hivMedication(adas), adas, ada));
        // Ben is prescribed Ada's Medication by reference, without writing it: it stays hers.
        world.writer.create(GP, FhirJson.parse(TestMedicationCategories.prescription(ben, "Medication/" + adas)), null);
        assertEquals(ada, patientOf(adas));

        SummaryQueries queries = new SummaryQueries(world.store);
        List<String> adaMedicines = queries.summary(ada, Set.of(), SummaryLimits.DEFAULT).medicines().items().stream().map(MedicineItem::name).toList();
        assertTrue(adaMedicines.contains("antiretroviral"), adaMedicines.toString());
        // Ben's summary is of his record only (it would throw if given Ada's Medication): his request shows without it.
        List<String> benMedicines = queries.summary(ben, Set.of(), SummaryLimits.DEFAULT).medicines().items().stream().map(MedicineItem::name).toList();
        assertTrue(benMedicines.size() >= 1 && !benMedicines.contains("antiretroviral"), benMedicines.toString());
    }
}
