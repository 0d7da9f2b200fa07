package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.ledger.testing.SharedData;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.WriteOutcome;
import org.custodian.records.validate.HapiProfileValidator;
import org.custodian.records.validate.ProfileIssue;
import org.custodian.records.validate.ProfileValidator;
import org.custodian.records.write.RecordWriter;
import org.custodian.records.write.WriteRefusedException;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profile validation on the write path: off, a resource that breaks a rule of its profile is stored as
 * before; on, it is refused with the validator's errors and their locations, nothing is stored, and a
 * transaction with one such entry stores nothing; warnings (unknown code systems, unknown extensions,
 * value sets that cannot be expanded here) refuse nothing, so Synthea's bundles still load; a profile
 * from the operator's directory is enforced on the resources that claim it.
 */
class TestProfileValidation {
    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static RecordsWorld off;
    static RecordsWorld on;
    static RecordsWorld withProfiles;
    static String patient;
    static final RecordWriter.Context GP = RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT);
    static final String EXAMPLE_PROFILE = "https://custodian.example/fhir/StructureDefinition/example-patient";

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        off = new RecordsWorld(postgres);
        on = new RecordsWorld(postgres, HapiProfileValidator.load(null));
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        Files.copy(SharedData.locate("docs/examples/profiles/StructureDefinition-example-patient.json"), profiles.resolve("example-patient.json"));
        Files.writeString(profiles.resolve("listed.json"), observationProfile("listed", "urn:test:vs-listed"));
        Files.writeString(profiles.resolve("filtered.json"), observationProfile("filtered", "urn:test:vs-filtered"));
        Files.writeString(profiles.resolve("vs-listed.json"), "{\"resourceType\":\"ValueSet\",\"url\":\"urn:test:vs-listed\",\"status\":\"draft\","
                + "\"compose\":{\"include\":[{\"system\":\"http://snomed.info/sct\",\"concept\":[{\"code\":\"364075005\"},{\"code\":\"271649006\"}]}]}}");
        Files.writeString(profiles.resolve("vs-filtered.json"), "{\"resourceType\":\"ValueSet\",\"url\":\"urn:test:vs-filtered\",\"status\":\"draft\","
                + "\"compose\":{\"include\":[{\"system\":\"http://snomed.info/sct\",\"filter\":[{\"property\":\"concept\",\"op\":\"is-a\","
                + "\"value\":\"363787002\"}]}]}}");
        withProfiles = new RecordsWorld(postgres, HapiProfileValidator.load(profiles));
        patient = on.writer.create(GP, FhirJson.parse(TestWrites.patientJson("9434765919")), null).outcomes().get(0).id();
        off.writer.update(GP, "Patient", patient, FhirJson.parse(TestWrites.patientJson("9434765919")), 0);
        withProfiles.writer.update(GP, "Patient", patient, FhirJson.parse(TestWrites.patientJson("9434765919")), 0);
    }

    @AfterAll
    static void stop() {
        off.close();
        on.close();
        withProfiles.close();
        postgres.close();
    }

    /** A profile of Observation whose code has a required binding to {@code valueSet}. */
    static String observationProfile(String name, String valueSet) {
        return "{\"resourceType\":\"StructureDefinition\",\"url\":\"urn:test:" + name + "\",\"name\":\"" + name + "\",\"status\":\"draft\","
                + "\"fhirVersion\":\"4.0.1\",\"kind\":\"resource\",\"abstract\":false,\"type\":\"Observation\","
                + "\"baseDefinition\":\"http://hl7.org/fhir/StructureDefinition/Observation\",\"derivation\":\"constraint\",\"differential\":{"
                + "\"element\":[{\"id\":\"Observation\",\"path\":\"Observation\"},{\"id\":\"Observation.code\",\"path\":\"Observation.code\","
                + "\"binding\":{\"strength\":\"required\",\"valueSet\":\"" + valueSet + "\"}}]}}";
    }

    /** An Observation without its required status: it parses, and breaks Observation's 1..1 cardinality. */
    static String observationWithoutStatus(String patientId) {
        return "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/" + patientId + "\"}}";
    }

    static long versions(RecordsWorld w) throws Exception {
        return TestSyntheaLoads.count(w, "SELECT count(*) FROM record_versions");
    }

    @Test
    void offStoresAResourceThatBreaksItsProfileAsBefore() {
        WriteOutcome o = off.writer.create(GP, FhirJson.parse(observationWithoutStatus(patient)), null).outcomes().get(0);
        assertEquals(WriteOutcome.Status.CREATED, o.status());
    }

    @Test
    void onRefusesItWithTheValidatorsErrorsAndTheirLocationsAndStoresAndRecordsNothing() throws Exception {
        long before = versions(on);
        long ledger = on.log.appendedSize();
        WriteRefusedException e = assertThrows(WriteRefusedException.class,
                () -> on.writer.create(GP, FhirJson.parse(observationWithoutStatus(patient)), null));
        assertEquals(WriteRefusedException.Kind.UNPROCESSABLE, e.kind());
        assertEquals(1, e.issues().size(), e.issues().toString());
        ProfileIssue issue = e.issues().get(0);
        assertEquals(ProfileIssue.Severity.ERROR, issue.severity());
        assertEquals("Observation", issue.location());
        assertTrue(issue.message().contains("Observation.status") && issue.message().contains("minimum required = 1"), issue.message());
        assertTrue(e.getMessage().startsWith("the Observation is not valid against its profiles: "), e.getMessage());
        assertEquals(before, versions(on));
        assertEquals(ledger, on.log.appendedSize(), "nothing is decided or recorded for a write refused before the gate");
    }

    @Test
    void anInvariantIsChecked() {
        // obs-6: dataAbsentReason SHALL only be present if value[x] is not.
        String both = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/"
                + patient + "\"},\"valueQuantity\":{\"value\":72},\"dataAbsentReason\":{\"text\":\"not asked\"}}";
        WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> on.writer.create(GP, FhirJson.parse(both), null));
        assertTrue(e.issues().stream().anyMatch(i -> i.message().contains("obs-6")), e.issues().toString());
        // and off, it is stored
        off.writer.create(GP, FhirJson.parse(both), null);
    }

    @Test
    void aTransactionWithInvalidEntriesStoresNothingAndNamesEveryOne() throws Exception {
        long before = versions(on);
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:5d1b7a0e-1111-4111-8111-000000000002\",\"resource\":" + TestWrites.patientJson("9434765870")
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":" + observationWithoutStatus(patient) + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"pulse\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:5d1b7a0e-1111-4111-8111-000000000002\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":" + observationWithoutStatus("x").replace("\"code\":{\"text\":\"pulse\"},", "")
                .replace("Patient/x", "urn:uuid:5d1b7a0e-1111-4111-8111-000000000002") + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> on.writer.bundle(GP, (Bundle) FhirJson.parse(bundle)));
        assertEquals(WriteRefusedException.Kind.UNPROCESSABLE, e.kind());
        assertTrue(e.getMessage().startsWith("entry 1: the Observation is not valid against its profiles"), e.getMessage());
        assertTrue(e.getMessage().contains("1 more entry is not valid either"), e.getMessage());
        assertEquals(List.of("Bundle.entry[1].resource", "Bundle.entry[3].resource", "Bundle.entry[3].resource"),
                e.issues().stream().map(ProfileIssue::location).toList(), e.issues().toString());
        assertEquals(before, versions(on), "not the Patient, not the valid Observation");
    }

    @Test
    void aBatchEntryThatIsNotValidFailsAloneWithItsIssues() {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"resource\":" + observationWithoutStatus(patient) + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":" + observationWithoutStatus(patient).replace("{\"resourceType\":\"Observation\",",
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",") + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        Bundle response = on.writer.bundle(GP, (Bundle) FhirJson.parse(bundle)).response();
        assertEquals("422 Unprocessable Entity", response.getEntry().get(0).getResponse().getStatus());
        var issue = ((org.hl7.fhir.r4.model.OperationOutcome) response.getEntry().get(0).getResponse().getOutcome()).getIssueFirstRep();
        assertEquals("invalid", issue.getCode().toCode());
        assertEquals("Observation", issue.getExpression().get(0).getValue());
        assertEquals("201 Created", response.getEntry().get(1).getResponse().getStatus());
    }

    @Test
    void warningsRefuseNothing() {
        // A SNOMED CT code (a code system not shipped), an extension nobody defined, and a profile claim
        // the deployment cannot check (no --profiles): warnings and information only.
        String obs = "{\"resourceType\":\"Observation\",\"meta\":{\"profile\":[\"http://example.org/StructureDefinition/unknown\"]},"
                + "\"extension\":[{\"url\":\"http://example.org/ext\",\"valueString\":\"x\"}],\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"364075005\",\"display\":\"Heart rate\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"valueQuantity\":{\"value\":72,\"unit\":\"/min\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
        assertEquals(WriteOutcome.Status.CREATED, on.writer.create(GP, FhirJson.parse(obs), null).outcomes().get(0).status());
    }

    @Test
    void aProfileFromTheOperatorsDirectoryIsEnforcedOnResourcesThatClaimIt() {
        String claims = "{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"" + EXAMPLE_PROFILE + "\"]},\"name\":[{\"family\":\"Byron\"}]}";
        WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> withProfiles.writer.create(GP, FhirJson.parse(claims), null));
        assertTrue(e.issues().stream().anyMatch(i -> i.message().contains("Patient.birthDate") && i.message().contains(EXAMPLE_PROFILE)),
                e.issues().toString());
        String withBirthDate = claims.replace("\"name\"", "\"birthDate\":\"1815-12-10\",\"name\"");
        withProfiles.writer.create(GP, FhirJson.parse(withBirthDate), null);
        // A Patient that does not claim it need not have a birth date.
        withProfiles.writer.create(GP, FhirJson.parse("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Byron\"}]}"), null);
        // Without the directory, the claim cannot be checked and is passed over.
        on.writer.create(GP, FhirJson.parse(claims), null);
    }

    @Test
    void withADirectoryOfProfilesAClaimedProfileItDoesNotHoldIsAnError() {
        String claims = "{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"" + EXAMPLE_PROFILE + "-misspelt\"]},\"birthDate\":\"1815-12-10\"}";
        WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> withProfiles.writer.create(GP, FhirJson.parse(claims), null));
        assertEquals("Patient.meta.profile[0]", e.issues().get(0).location());
        assertFalse(e.issues().isEmpty());
    }

    @Test
    void aRequiredBindingIsCheckedWhereItCanBeAndOnlyWarnedAboutWhereItCannot() {
        String heartRate = "{\"resourceType\":\"Observation\",\"meta\":{\"profile\":[\"urn:test:PROFILE\"]},\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"CODE\"}]},\"subject\":{\"reference\":\"Patient/"
                + patient + "\"}}";
        // A value set that lists its codes: checked, though SNOMED CT itself is not held.
        withProfiles.writer.create(GP, FhirJson.parse(heartRate.replace("PROFILE", "listed").replace("CODE", "364075005")), null);
        WriteRefusedException notListed = assertThrows(WriteRefusedException.class,
                () -> withProfiles.writer.create(GP, FhirJson.parse(heartRate.replace("PROFILE", "listed").replace("CODE", "22298006")), null));
        assertEquals("Observation.code", notListed.issues().get(0).location());
        assertTrue(notListed.issues().get(0).message().contains("urn:test:vs-listed"), notListed.getMessage());
        // A value set defined by a filter on SNOMED CT (is-a): it cannot be expanded here, so no code is
        // refused for it, whether or not it is in it.
        for (String code : List.of("364075005", "22298006")) {
            withProfiles.writer.create(GP, FhirJson.parse(heartRate.replace("PROFILE", "filtered").replace("CODE", code)), null);
        }
    }

    @Test
    void syntheaBundlesStillLoad() throws Exception {
        List<Path> files;
        try (var s = Files.list(SharedData.locate("shared/data/fhir/synthea"))) {
            // The provider batches and two patients (a newborn and a child): a thousand resources of 17
            // types. All 4,645 resources of the seven bundles pass too (docs/records.md), but take minutes.
            files = s.filter(f -> f.getFileName().toString().matches("(0-.*|8a4c9c04.*|6c8f3e83.*)\\.json")).sorted().toList();
        }
        assertEquals(4, files.size());
        for (Path f : files) {
            Bundle b = (Bundle) FhirJson.parse(Files.readString(f));
            RecordWriter.BundleResult r = on.writer.importBundle(RecordsWorld.operator(), b);
            assertEquals(b.getEntry().size(), r.response().getEntry().size(), f.toString());
        }
    }
}
