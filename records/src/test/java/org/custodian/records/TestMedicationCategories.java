package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.WriteOutcome;
import org.custodian.records.write.RecordWriter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prescription (administration, statement...) whose medicationReference names a separate Medication
 * falls under that Medication's sensitive categories, by every write path, whichever is stored first,
 * and when the Medication is changed afterwards; categories widen and never narrow this way.
 *
 * <p>The HIV codes are from {@code sensitive-codes.tsv}, which lists conditions, not medicines: a
 * Medication coded with one stands in for an antiretroviral a Caldicott Guardian has listed (or labelled).
 */
class TestMedicationCategories {
    private static final Set<SensitiveCategory> HIV = Set.of(SensitiveCategory.HIV);
    private static final Set<SensitiveCategory> NONE = Set.of();
    private static final RecordWriter.Context GP = RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT);

    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static RecordsWorld world;
    static String ada;

    @BeforeAll
    static void start() {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        world = new RecordsWorld(postgres);
        ada = world.writer.create(GP, FhirJson.parse(TestWrites.patientJson(RecordsWorld.ADA.value())), null).outcomes().get(0).id();
    }

    @AfterAll
    static void stop() {
        world.close();
        postgres.close();
    }

    /** A Medication coded as HIV by a code on the list. */
    static String hivMedication(String id) {
        return "{\"resourceType\":\"Medication\"" + (id == null ? "" : ",\"id\":\"" + id + "\"")
                + ",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"86406008\"}],\"text\":\"antiretroviral\"}}";
    }

    static String plainMedication(String id) {
        return "{\"resourceType\":\"Medication\"" + (id == null ? "" : ",\"id\":\"" + id + "\"")
                + ",\"code\":{\"coding\":[{\"system\":\"https://dmd.nhs.uk\",\"code\":\"322236009\",\"display\":\"Paracetamol 500mg tablets\"}]}}";
    }

    static String prescription(String patient, String medication) {
        return "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\","
                + "\"medicationReference\":{\"reference\":\"" + medication + "\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
    }

    private static Resource parse(String json) {
        return FhirJson.parse(json);
    }

    private static String create(RecordWriter.Context ctx, String json) {
        return world.writer.create(ctx, parse(json), null).outcomes().get(0).id();
    }

    private static Set<SensitiveCategory> categories(String type, String id) {
        return world.store.read(type, id).orElseThrow().categories();
    }

    private static Set<SensitiveCategory> categories(String type, String id, int version) {
        return world.store.vread(type, id, version).orElseThrow().categories();
    }

    private static String idOf(Bundle response, int entry) {
        return response.getEntry().get(entry).getResponse().getLocation().split("/")[1];
    }

    @Test
    void aPrescriptionOfAnHivMedicationInTheSameTransactionIsHivWhicheverEntryComesFirst() {
        String med = "urn:uuid:" + UUID.randomUUID();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":" + prescription(ada, med) + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}},"
                + "{\"fullUrl\":\"" + med + "\",\"resource\":" + hivMedication(null) + ",\"request\":{\"method\":\"POST\",\"url\":\"Medication\"}}]}";
        Bundle response = world.writer.bundle(GP, (Bundle) parse(bundle)).response();
        assertEquals(HIV, categories("Medication", idOf(response, 1)));
        assertEquals(HIV, categories("MedicationRequest", idOf(response, 0)), "the prescription says what its Medication says");
        assertEquals("Medication/" + idOf(response, 1), world.store.read("MedicationRequest", idOf(response, 0)).orElseThrow().content()
                .replaceAll(".*\"medicationReference\":\\{\"reference\":\"([^\"]+)\".*", "$1"), "the urn:uuid was rewritten");
    }

    @Test
    void aPrescriptionOfAStoredHivMedicationIsHivHoweverItIsReferenced() {
        String med = create(GP, hivMedication(null));
        assertEquals(HIV, categories("MedicationRequest", create(GP, prescription(ada, "Medication/" + med))));
        assertEquals(HIV, categories("MedicationRequest", create(GP, prescription(ada, "Medication/" + med + "/_history/1"))));
        assertEquals(HIV, categories("MedicationRequest", create(GP, prescription(ada, "https://custodian.example/fhir/Medication/" + med))),
                "an absolute reference is read as this server's, as Patient references are");
        String statement = "{\"resourceType\":\"MedicationStatement\",\"status\":\"active\",\"medicationReference\":{\"reference\":\"Medication/"
                + med + "\"},\"subject\":{\"reference\":\"Patient/" + ada + "\"}}";
        assertEquals(HIV, categories("MedicationStatement", create(GP, statement)), "not only prescriptions");
        // A batch's entries are written one by one: the second reads the first as stored.
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"resource\":" + hivMedication("batch-med") + ",\"request\":{\"method\":\"PUT\",\"url\":\"Medication/batch-med\"}},"
                + "{\"resource\":" + prescription(ada, "Medication/batch-med") + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}}]}";
        assertEquals(HIV, categories("MedicationRequest", idOf(world.writer.bundle(GP, (Bundle) parse(batch)).response(), 1)));
    }

    @Test
    void aReferenceThatCannotBeResolvedAddsNothing() {
        assertEquals(NONE, categories("MedicationRequest", create(GP, prescription(ada, "https://elsewhere.example/fhir/Medication/not-here"))));
        assertEquals(NONE, categories("MedicationRequest", create(GP, prescription(ada, "Medication/never-stored"))));
        assertEquals(NONE, categories("MedicationRequest", create(GP, prescription(ada, "Medication/" + create(GP, plainMedication(null))))));
    }

    @Test
    void storingOrRecodingAMedicationLaterWidensEveryVersionReferringToIt() {
        String med = "later-" + UUID.randomUUID();
        String rx = create(GP, prescription(ada, "Medication/" + med));
        String rxJson = prescription(ada, "Medication/" + med).replace("{\"resourceType\":\"MedicationRequest\",",
                "{\"resourceType\":\"MedicationRequest\",\"id\":\"" + rx + "\",");
        world.writer.update(GP, "MedicationRequest", rx, parse(rxJson.replace("\"active\"", "\"on-hold\"")), 1);
        assertEquals(NONE, categories("MedicationRequest", rx), "nothing to inherit yet");

        world.writer.update(GP, "Medication", med, parse(plainMedication(med)), 0);
        assertEquals(NONE, categories("MedicationRequest", rx));

        world.writer.update(GP, "Medication", med, parse(hivMedication(med)), 0);
        assertEquals(HIV, categories("MedicationRequest", rx), "the current version");
        assertEquals(HIV, categories("MedicationRequest", rx, 1), "and the one before, which history and vread serve");

        // Recoded back: the prescription keeps HIV (categories only widen) until it is itself written again.
        world.writer.update(GP, "Medication", med, parse(plainMedication(med)), 0);
        assertEquals(HIV, categories("MedicationRequest", rx));
        WriteOutcome again = world.writer.update(GP, "MedicationRequest", rx, parse(rxJson), 0).outcomes().get(0);
        assertEquals(3, again.version());
        assertEquals(NONE, categories("MedicationRequest", rx), "a new version is classified afresh");
    }

    @Test
    void aLabelOnTheMedicationIsInheritedAsACodeIs() {
        String labelled = "{\"resourceType\":\"Medication\",\"meta\":{\"security\":[{\"system\":\"" + SensitiveCategory.SYSTEM
                + "\",\"code\":\"PSY\"}]},\"code\":{\"text\":\"sertraline\"}}";
        String med = create(GP, labelled);
        assertEquals(Set.of(SensitiveCategory.PSY), categories("MedicationRequest", create(GP, prescription(ada, "Medication/" + med))));
    }

    @Test
    void aPrescriptionWrittenWhileItsMedicationIsBeingStoredStillEndsUpHiv() throws Exception {
        // Each round races a prescription against the first write of its Medication: whichever commits
        // first, the other must see it (the prescription inherits, or the Medication widens it). Without
        // the locks (MedicationCategories.lock) this failed within a few rounds.
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                String med = "race-" + round + "-" + UUID.randomUUID();
                CyclicBarrier together = new CyclicBarrier(2);
                Future<String> rx = two.submit(() -> {
                    Resource r = parse(prescription(ada, "Medication/" + med));
                    together.await();
                    return world.writer.create(GP, r, null).outcomes().get(0).id();
                });
                Future<?> stored = two.submit(() -> {
                    Resource m = parse(hivMedication(med));
                    together.await();
                    return world.writer.update(GP, "Medication", med, m, 0);
                });
                stored.get();
                assertEquals(HIV, categories("MedicationRequest", rx.get()), "round " + round);
            }
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void theOperatorsImportInheritsToo() {
        String med = "import-med-" + UUID.randomUUID();
        String rx = "import-rx-" + UUID.randomUUID();
        Resource prescription = parse(prescription(ada, "Medication/" + med).replace("{\"resourceType\":\"MedicationRequest\",",
                "{\"resourceType\":\"MedicationRequest\",\"id\":\"" + rx + "\","));
        // NDJSON lines: prescriptions may come in a file before the medications'.
        world.writer.importResources(RecordsWorld.operator(), List.of(prescription, parse(hivMedication(med))));
        assertEquals(HIV, categories("MedicationRequest", rx));

        String bundleMed = "urn:uuid:" + UUID.randomUUID();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"" + bundleMed + "\",\"resource\":" + hivMedication(null) + ",\"request\":{\"method\":\"POST\",\"url\":\"Medication\"}},"
                + "{\"resource\":" + prescription(ada, bundleMed) + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}}]}";
        Bundle response = world.writer.importBundle(RecordsWorld.operator(), (Bundle) parse(bundle)).response();
        assertEquals(bundleMed.substring("urn:uuid:".length()), idOf(response, 0), "import keeps the urn:uuid as the id");
        assertEquals(HIV, categories("MedicationRequest", idOf(response, 1)));
    }
}
