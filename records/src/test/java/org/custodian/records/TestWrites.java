package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.postgres.PostgresLogStore;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.WriteOutcome;
import org.custodian.records.write.RecordWriter;
import org.custodian.records.write.WriteEntry;
import org.custodian.records.write.WriteRefusedException;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes: checked (NHS numbers, patients named), allowed only from care and only where the gate permits,
 * all or nothing for a transaction, versioned, and every version recorded by an entry an auditor can
 * check against the store.
 */
class TestWrites {
    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static RecordsWorld world;
    static final RecordWriter.Context GP = RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT);

    @BeforeAll
    static void start() {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        world = new RecordsWorld(postgres);
    }

    @AfterAll
    static void stop() {
        world.close();
        postgres.close();
    }

    static String patientJson(String nhs) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + nhs
                + "\"}],\"name\":[{\"family\":\"Lovelace\"}]}";
    }

    static long versions() throws Exception {
        return TestSyntheaLoads.count(world, "SELECT count(*) FROM record_versions");
    }

    @Test
    void anInvalidNhsNumberIsRefusedAndNothingIsStoredOrRecorded() throws Exception {
        long before = versions();
        long ledger = world.log.appendedSize();
        WriteRefusedException e = assertThrows(WriteRefusedException.class,
                () -> world.writer.create(GP, FhirJson.parse(patientJson("9434765918")), null));
        assertEquals(WriteRefusedException.Kind.UNPROCESSABLE, e.kind());
        assertTrue(e.getMessage().contains("not a valid NHS number"), e.getMessage());
        assertEquals(before, versions());
        assertEquals(ledger, world.log.appendedSize());
    }

    @Test
    void aTransactionIsAllOrNothing() throws Exception {
        long before = versions();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:5d1b7a0e-1111-4111-8111-000000000001\",\"resource\":" + patientJson("9434765870")
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"pulse\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> world.writer.bundle(GP, (Bundle) FhirJson.parse(bundle)));
        assertTrue(e.getMessage().startsWith("entry 1:"), e.getMessage());
        assertEquals(before, versions(), "the Patient of entry 0 was not stored either");
    }

    @Test
    void updatesMakeVersionsAndAnUnchangedUpdateMakesNone() throws Exception {
        WriteOutcome created = world.writer.create(GP, FhirJson.parse(patientJson("9434765919")), null).outcomes().get(0);
        String id = created.id();
        String changed = patientJson("9434765919").replace("\"Lovelace\"", "\"King\"").replace("{\"resourceType\":\"Patient\",",
                "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
        WriteOutcome v2 = world.writer.update(GP, "Patient", id, FhirJson.parse(changed), 1).outcomes().get(0);
        assertEquals(2, v2.version());
        assertEquals(WriteOutcome.Status.UPDATED, v2.status());
        long ledger = world.log.appendedSize();
        WriteOutcome same = world.writer.update(GP, "Patient", id, FhirJson.parse(changed), 0).outcomes().get(0);
        assertEquals(WriteOutcome.Status.UNCHANGED, same.status());
        assertEquals(2, same.version());
        assertEquals(ledger + 1, world.log.appendedSize(), "only the gate's decision is recorded; nothing was written");
        WriteRefusedException stale = assertThrows(WriteRefusedException.class,
                () -> world.writer.update(GP, "Patient", id, FhirJson.parse(changed.replace("King", "Byron")), 1));
        assertEquals(WriteRefusedException.Kind.CONFLICT, stale.kind());
        assertEquals(2, world.store.history("Patient", id, 0, 10).size());
        assertTrue(world.store.vread("Patient", id, 1).orElseThrow().content().contains("Lovelace"));
    }

    @Test
    void onlyCareWritesAndTheGateDecidesForLinkedPatients() throws Exception {
        String ada = world.writer.create(GP, FhirJson.parse(patientJson("9434765919")), null).outcomes().get(0).id();
        String obs = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/"
                + ada + "\"}}";
        RecordWriter.Context reception = RecordsWorld.as(RecordsWorld.GP_RECEPTION, RecordsWorld.GP, Purpose.TREAT);
        assertEquals(WriteRefusedException.Kind.FORBIDDEN,
                assertThrows(WriteRefusedException.class, () -> world.writer.create(reception, FhirJson.parse(obs), null)).kind());
        RecordWriter.Context company = RecordsWorld.as(RecordsWorld.COMPANY_ANALYST, RecordsWorld.COMPANY, Purpose.TREAT);
        assertEquals(WriteRefusedException.Kind.FORBIDDEN,
                assertThrows(WriteRefusedException.class, () -> world.writer.create(company, FhirJson.parse(obs), null)).kind());
        // A hospital clinician with no care relationship: the gate refuses, and the refusal is recorded.
        RecordWriter.Context hospital = RecordsWorld.as(RecordsWorld.HOSPITAL_DOCTOR, RecordsWorld.HOSPITAL, Purpose.TREAT);
        long ledger = world.log.appendedSize();
        WriteRefusedException refused = assertThrows(WriteRefusedException.class, () -> world.writer.create(hospital, FhirJson.parse(obs), null));
        assertEquals(WriteRefusedException.Kind.FORBIDDEN, refused.kind());
        assertEquals(ledger + 1, world.log.appendedSize(), "the refusal is in the ledger");
        // The practice may write; the write is recorded with the decision that allowed it.
        RecordWriter.Result ok = world.writer.create(GP, FhirJson.parse(obs), null);
        assertEquals(1, ok.receipts().size());
        assertTrue(ok.outcomes().get(0).ledgerIndex() >= 0);
    }

    @Test
    void awkwardCharactersSurviveStorageExactly() throws Exception {
        String awkward = "tab\\there, newline\\nthere, backslash \\\\ quote \\\" braces {a,b} \\u00e9\\u2603 NULL \\\\N";
        String json = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + awkward + "\",\"given\":[\"" + awkward + "\"]}],"
                + "\"identifier\":[{\"system\":\"urn:x\",\"value\":\"" + awkward + "\"}]}";
        WriteOutcome o = world.writer.create(RecordsWorld.operator(), FhirJson.parse(json), null).outcomes().get(0);
        String stored = world.store.read("Patient", o.id()).orElseThrow().content();
        assertEquals(o.content(), stored);
        org.hl7.fhir.r4.model.Patient back = (org.hl7.fhir.r4.model.Patient) FhirJson.parse(stored);
        org.hl7.fhir.r4.model.Patient sent = (org.hl7.fhir.r4.model.Patient) FhirJson.parse(json);
        assertEquals(sent.getNameFirstRep().getFamily(), back.getNameFirstRep().getFamily());
        assertTrue(back.getNameFirstRep().getFamily().contains("\t") && back.getNameFirstRep().getFamily().contains("\\"));
        assertEquals(1, TestSyntheaLoads.count(world, "SELECT count(*) FROM record_versions v WHERE v.res_id = '" + o.id()
                + "' AND v.tokens @> ARRAY['identifier|urn:x|" + sent.getIdentifierFirstRep().getValue().replace("'", "''") + "']"));
    }

    @Test
    void movingAResourceOutOfAnotherPatientsRecordNeedsTheGatesLeaveForThatPatientToo() throws Exception {
        String ada = world.writer.create(GP, FhirJson.parse(patientJson("9434765919")), null).outcomes().get(0).id();
        // Carl is linked, but the practice has no care relationship with him.
        String carl = world.writer.create(RecordsWorld.operator(), FhirJson.parse(patientJson("9000000009")), null).outcomes().get(0).id();
        String obs = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/";
        String id = world.writer.create(RecordsWorld.operator(), FhirJson.parse(obs + carl + "\"}}"), null).outcomes().get(0).id();
        String moved = obs.replace("{\"resourceType\":\"Observation\",", "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",") + ada + "\"}}";
        WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> world.writer.update(GP, "Observation", id, FhirJson.parse(moved), 0));
        assertEquals(WriteRefusedException.Kind.FORBIDDEN, e.kind());
        assertTrue(e.getMessage().contains(carl), e.getMessage());
        assertEquals(carl, world.store.read("Observation", id).orElseThrow().patientId(), "still in Carl's record");
    }

    @Test
    void patientDataMustNameAnExistingPatient() {
        String orphan = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"pulse\"}}";
        assertEquals(WriteRefusedException.Kind.UNPROCESSABLE,
                assertThrows(WriteRefusedException.class, () -> world.writer.create(GP, FhirJson.parse(orphan), null)).kind());
        String missing = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"pulse\"},"
                + "\"subject\":{\"reference\":\"Patient/no-such-patient\"}}";
        assertEquals(WriteRefusedException.Kind.UNPROCESSABLE,
                assertThrows(WriteRefusedException.class, () -> world.writer.create(GP, FhirJson.parse(missing), null)).kind());
    }

    @Test
    void theWriteEntryNamesExactlyTheVersionsStored() throws Exception {
        String ada = world.writer.create(GP, FhirJson.parse(patientJson("9434765919")), null).outcomes().get(0).id();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"a\"},\"subject\":{\"reference\":\"Patient/"
                + ada + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":{\"resourceType\":\"Condition\",\"code\":{\"text\":\"b\"},\"subject\":{\"reference\":\"Patient/" + ada
                + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}]}";
        world.writer.bundle(GP, (Bundle) FhirJson.parse(bundle));
        long index = TestSyntheaLoads.count(world, "SELECT max(ledger_index) FROM record_versions WHERE patient_id = '" + ada + "'");
        byte[] content = new PostgresLogStore(world.ds).content(index).orElseThrow();
        LedgerEntry entry = LedgerEntry.parse(content);
        assertEquals(WriteEntry.TYPE, entry.type());
        assertEquals("9434765919", entry.fields().get("patient"));
        List<String> stored = new ArrayList<>();
        try (var c = world.ds.getConnection(); var s = c.prepareStatement(
                "SELECT res_type || '/' || res_id || '/_history/' || version FROM record_versions WHERE ledger_index = ?")) {
            s.setLong(1, index);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        assertEquals(2, stored.size());
        assertEquals(WriteEntry.digest(stored), entry.fields().get("versions"), "an auditor recomputes the digest from the store");
    }
}
