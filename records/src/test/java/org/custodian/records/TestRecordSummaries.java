package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.store.RecordQueries;
import org.custodian.records.store.StoredVersion;
import org.custodian.records.summary.ConditionItem;
import org.custodian.records.summary.EncounterItem;
import org.custodian.records.summary.MedicineItem;
import org.custodian.records.summary.RecordSummaries;
import org.custodian.records.summary.RecordSummary;
import org.custodian.records.summary.ResultItem;
import org.custodian.records.summary.SummaryDate;
import org.custodian.records.summary.SummaryItem;
import org.custodian.records.summary.SummaryLimits;
import org.custodian.records.summary.SummaryQueries;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A patient's record summarised from real Synthea records in a real PostgreSQL: the facts the bundle files
 * hold come out in plain words and in order, the sections are cut to their limits in SQL and the cut agrees
 * with ordering the whole record, withheld categories are left out before the limits, and a record of
 * 10,000 Observations is summarised from a bounded read.
 */
class TestRecordSummaries {
    /** Synthea ids are kept by import: the files' own ids are the stored ones. */
    static final String MAXIMO = "6c8f3e83-c351-ed33-c38d-6be101c275d2";
    static final String BIG = "4b86befa-fa7e-9285-615f-e081dab3f93c";
    static final String DECEASED = "53eac4c0-8d6b-72da-2768-a6d08e687f48";
    static final String NEWBORN = "8a4c9c04-1524-9f1c-d65b-9b17e4520fef";

    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static RecordsWorld world;
    static SummaryQueries queries;

    @BeforeAll
    static void load() throws Exception {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        world = new RecordsWorld(postgres);
        queries = new SummaryQueries(world.store);
        for (String prefix : new String[] {"0-hospital", "0-practitioner", MAXIMO, BIG, DECEASED, NEWBORN}) {
            world.writer.importBundle(RecordsWorld.operator(), bundle(prefix));
        }
    }

    @AfterAll
    static void stop() {
        world.close();
        postgres.close();
    }

    static Bundle bundle(String prefix) throws Exception {
        return (Bundle) FhirJson.parse(Files.readString(RecordsWorld.synthea(prefix)));
    }

    static RecordSummary summary(String patientId) {
        return queries.summary(patientId, Set.of(), SummaryLimits.DEFAULT);
    }

    @Test
    void thePatientsOwnDetailsAreInWords() {
        var p = summary(MAXIMO).patient().orElseThrow();
        assertEquals("Patient/" + MAXIMO, p.reference());
        assertEquals("Maximo817 Bartell116", p.name());
        assertEquals("31 March 1991", p.born());
        assertEquals("Male", p.gender());
        assertEquals(Optional.empty(), p.nhsNumber(), "Synthea's identifiers are American");
        assertEquals(List.of("898 Hackett Center", "Milford", "MA", "01757"), p.address());
    }

    @Test
    void conditionsComeNewestFirstWithTheirOnsetAndStatusInWords() {
        List<ConditionItem> conditions = summary(MAXIMO).conditions().items();
        assertEquals(8, conditions.size());
        ConditionItem covid = conditions.get(0);
        assertEquals("COVID-19", covid.name());
        assertEquals("2 March 2020", covid.when());
        assertEquals("Resolved", covid.status());
        assertFalse(covid.current());
        ConditionItem oldest = conditions.get(7);
        assertEquals("Condition/e9cad6cf-5578-1be2-92d9-3eba07591e54", oldest.reference());
        assertEquals("Acute viral pharyngitis", oldest.name(), "SNOMED's \"(disorder)\" tag is for clinicians");
        assertEquals("10 November 2012", oldest.when());
        assertEquals(Instant.parse("2012-11-10T08:49:03Z"), oldest.date().orElseThrow().instant());
        assertNewestFirst(conditions);
    }

    @Test
    void currentConditionsComeBeforeResolvedOnes() {
        List<ConditionItem> conditions = summary(BIG).conditions().items();
        assertEquals(28, conditions.size());
        long current = conditions.stream().filter(ConditionItem::current).count();
        assertEquals(14, current, "the bundle has 14 active conditions");
        for (int i = 0; i < conditions.size(); i++) {
            assertEquals(i < 14, conditions.get(i).current(), "current first: " + i);
            assertEquals(i < 14 ? "Active" : "Resolved", conditions.get(i).status());
        }
        assertNewestFirst(conditions.subList(0, 14));
        assertNewestFirst(conditions.subList(14, 28));
    }

    @Test
    void medicinesNamedInTheRequestShowWithTheirDosage() {
        List<MedicineItem> medicines = summary(MAXIMO).medicines().items();
        assertEquals(2, medicines.size());
        MedicineItem loratadine = medicines.stream().filter(m -> m.name().equals("Loratadine 5 MG Chewable Tablet")).findFirst().orElseThrow();
        assertEquals(Optional.of("Take as needed."), loratadine.dosage());
        assertEquals("Current", loratadine.status());
        assertEquals("28 March 1992", loratadine.when());
        assertTrue(medicines.stream().anyMatch(m -> m.name().equals("NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector")));
    }

    @Test
    void medicinesNamedByAReferenceToAMedicationTakeItsName() {
        List<MedicineItem> medicines = summary(DECEASED).medicines().items();
        assertEquals(Set.of("piperacillin 2000 MG / tazobactam 250 MG Injection", "150 ML vancomycin 5 MG/ML Injection",
                "4 ML norepinephrine 1 MG/ML Injection"), Set.copyOf(medicines.stream().map(MedicineItem::name).toList()));
        assertEquals(Optional.empty(), medicines.get(0).dosage(), "these requests have no dosage");
    }

    @Test
    void allergiesSayHowDangerousAReactionCouldBe() {
        var allergies = summary(MAXIMO).allergies().items();
        assertEquals(7, allergies.size());
        var mould = allergies.stream().filter(a -> a.substance().equals("Allergy to mould")).findFirst().orElseThrow();
        assertEquals("Low risk", mould.criticality());
        assertEquals("Active", mould.status());
        assertEquals(Optional.empty(), mould.reaction(), "no reaction is recorded");
        assertEquals("28 March 1992", mould.when());
    }

    @Test
    void immunisationsComeNewestFirst() {
        var immunisations = summary(MAXIMO).immunisations().items();
        assertEquals(6, immunisations.size());
        assertEquals("Influenza, seasonal, injectable, preservative free", immunisations.get(0).vaccine());
        assertEquals("9 June 2019", immunisations.get(0).when());
        assertEquals("Given", immunisations.get(0).status());
        assertEquals("2 June 2013", immunisations.get(5).when());
        assertNewestFirst(immunisations);
    }

    @Test
    void resultsAreTheNewestTwentyWithValuesInWords() throws Exception {
        RecordSummary s = summary(MAXIMO);
        List<ResultItem> results = s.results().items();
        assertEquals(20, results.size());
        assertTrue(s.results().more(), "the record holds 56 results");
        ResultItem newest = results.get(0);
        assertEquals("Observation/558f243b-84e7-64a5-cf51-d27de8c8e08c", newest.reference());
        assertEquals("SARS-CoV-2 RNA Pnl Resp NAA+probe", newest.name());
        assertEquals("Detected", newest.value());
        assertEquals("Laboratory test", newest.kind());
        assertEquals("2 March 2020", newest.when());
        assertNewestFirst(results);

        // The twenty dates are the twenty newest in the file.
        List<Instant> expected = new ArrayList<>();
        for (var e : bundle(MAXIMO).getEntry()) {
            if (e.getResource() instanceof Observation o) {
                expected.add(o.getEffectiveDateTimeType().getValue().toInstant());
            }
        }
        expected.sort(Comparator.reverseOrder());
        assertEquals(expected.subList(0, 20), results.stream().map(r -> r.date().orElseThrow().instant()).toList());

        assertEquals("41.41 °C", value(results, "Observation/35dd8dbc-a52c-7689-27b2-8d9d72718570"));
        assertEquals("75.07%", value(results, "Observation/585995dc-5fe4-0f0e-0c2e-5b07c0b1c2b3"));
        assertEquals("Diastolic Blood Pressure: 71 mmHg; Systolic Blood Pressure: 117 mmHg",
                value(results, "Observation/2c56686e-abad-f1bf-811c-40e35d8cb84b"), "a blood pressure's value is its parts");
        assertEquals("Vital signs", results.stream().filter(r -> r.name().equals("Heart rate")).findFirst().orElseThrow().kind());
    }

    static String value(List<ResultItem> results, String reference) {
        return results.stream().filter(r -> r.reference().equals(reference)).findFirst().orElseThrow().value();
    }

    @Test
    void encountersSayWhatWhereAndWho() {
        List<EncounterItem> encounters = summary(MAXIMO).encounters().items();
        assertEquals(8, encounters.size());
        EncounterItem newest = encounters.get(0);
        assertEquals("Encounter for symptom", newest.description());
        assertEquals(Optional.of("Appointment"), newest.setting());
        assertEquals("Finished", newest.status());
        assertEquals(Optional.of("MILFORD REGIONAL MEDICAL CENTER"), newest.organisation());
        assertEquals(Optional.of("Dr. Wilton999 Pollich983"), newest.practitioner());
        assertEquals("2 March 2020", newest.when());
        assertEquals("15 March 1992", encounters.get(7).when());
        assertNewestFirst(encounters);
    }

    @Test
    void aLargeRecordIsCutToItsLimitsAndSaysSo() {
        RecordSummary s = summary(BIG);
        assertEquals(20, s.results().items().size());
        assertTrue(s.results().more());
        assertEquals(20, s.encounters().items().size());
        assertTrue(s.encounters().more(), "135 encounters");
        assertEquals(50, s.medicines().items().size());
        assertTrue(s.medicines().more(), "364 medicine requests");
        assertEquals(7, s.medicines().items().stream().filter(MedicineItem::current).count(), "the 7 current ones are kept, first");
        assertTrue(s.medicines().items().subList(0, 7).stream().allMatch(MedicineItem::current));
        assertEquals("Stopped", s.medicines().items().get(7).status());
        assertFalse(s.conditions().more());
        assertEquals(List.of(), s.unreadable());
    }

    @Test
    void theCutMadeInSqlIsTheCutMadeByOrderingTheWholeRecord() {
        for (SummaryLimits limits : List.of(SummaryLimits.DEFAULT, new SummaryLimits(5, 3, 10, 4), new SummaryLimits(1, 1, 1, 1))) {
            for (String patient : List.of(MAXIMO, BIG, DECEASED, NEWBORN)) {
                assertEquals(RecordSummaries.of(everything(patient), limits), queries.summary(patient, Set.of(), limits), patient + " " + limits);
            }
        }
    }

    /**
     * Every current version in the patient's record (the Medications its bundle brought in included), and
     * every Medication that is directory data; not other patients' Medications, which are in their records.
     */
    static List<StoredVersion> everything(String patientId) {
        return world.store.query("SELECT " + RecordQueries.COLUMNS + RecordQueries.FROM + " WHERE v.superseded_by IS NULL"
                + " AND (v.patient_id = ? OR (v.res_type = 'Medication' AND v.patient_id IS NULL))", List.of(patientId));
    }

    @Test
    void withheldCategoriesAreLeftOutBeforeTheLimitsAndMarkedWhenShown() {
        // The newborn's record gains a depression score (PSY) newer than anything else, and an HIV-labelled
        // Medication prescribed by reference.
        String phq = create("{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"survey\"}]}],\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"44261-6\",\"display\":\"PHQ-9 total score\"}]},\"subject\":{\"reference\":\"Patient/" + NEWBORN
                + "\"},\"effectiveDateTime\":\"2030-01-01\",\"valueQuantity\":{\"value\":12,\"unit\":\"{score}\",\"system\":"
                + "\"http://unitsofmeasure.org\",\"code\":\"{score}\"}}");
        String medication = create("{\"resourceType\":\"Medication\",\"meta\":{\"security\":[{\"system\":\"" + SensitiveCategory.SYSTEM
                + "\",\"code\":\"HIV\"}]},\"code\":{\"text\":\"Medicine X\"}}");
        String request = create("{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"medicationReference\":"
                + "{\"reference\":\"" + medication + "\"},\"subject\":{\"reference\":\"Patient/" + NEWBORN + "\"},\"authoredOn\":\"2030-01-02\"}");
        SummaryLimits limits = new SummaryLimits(20, 20, 50, 200);

        RecordSummary all = queries.summary(NEWBORN, Set.of(), new SummaryLimits(21, 20, 50, 200));
        ResultItem score = all.results().items().get(0);
        assertEquals(phq, score.reference());
        assertEquals("12", score.value(), "a score has no unit");
        assertEquals(Set.of(SensitiveCategory.PSY), score.categories());
        assertTrue(score.sensitive());
        MedicineItem x = all.medicines().items().get(0);
        assertEquals(request, x.reference());
        assertEquals("Medicine X", x.name());
        assertEquals(Set.of(SensitiveCategory.HIV), x.categories(), "the Medication's category marks the request naming it");

        RecordSummary withheld = queries.summary(NEWBORN, Set.of(SensitiveCategory.PSY, SensitiveCategory.HIV), limits);
        assertTrue(withheld.results().items().stream().noneMatch(r -> r.reference().equals(phq)));
        assertEquals(20, withheld.results().items().size(), "the limit is filled from what may be shown");
        assertTrue(withheld.results().items().stream().noneMatch(SummaryItem::sensitive));
        assertTrue(withheld.medicines().isEmpty(), "a request for a withheld medicine goes with it");
        assertEquals(all.results().items().subList(1, 21), withheld.results().items());
    }

    static String create(String json) {
        var o = world.writer.create(RecordsWorld.operator(), FhirJson.parse(json), null).outcomes().get(0);
        return o.type() + "/" + o.id();
    }

    @Test
    void tenThousandObservationsAreSummarisedFromABoundedRead() {
        // A patient with 10,000 Observations written in no date order, one in seven without a value.
        String patient = "many-" + System.nanoTime();
        world.writer.importResources(RecordsWorld.operator(), List.of(FhirJson.parse("{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}")));
        SplittableRandom random = new SplittableRandom(20260401);
        List<Instant> valued = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            List<Resource> observations = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                Instant at = Instant.parse("2000-01-01T00:00:00Z").plusSeconds(random.nextLong(800_000_000L));
                boolean hasValue = random.nextInt(7) != 0;
                if (hasValue) {
                    valued.add(at);
                }
                observations.add(FhirJson.parse("{\"resourceType\":\"Observation\",\"id\":\"o" + batch + "-" + i + "\",\"status\":\"final\","
                        + "\"code\":{\"text\":\"Heart rate\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\"" + at
                        + "\"," + (hasValue ? "\"valueQuantity\":{\"value\":" + (50 + i % 50) + ",\"unit\":\"/min\"}"
                                : "\"dataAbsentReason\":{\"text\":\"not measured\"}") + "}"));
            }
            world.writer.importResources(RecordsWorld.operator(), observations);
        }
        valued.sort(Comparator.reverseOrder());

        // Its cost is measured in SummaryQueries' comment; here, that it reads no more than it shows.
        List<StoredVersion> read = queries.current(patient, Set.of(), SummaryLimits.DEFAULT);
        assertEquals(1 + 21, read.size(), "the Patient and the 21 newest Observations with a value: nothing else is read");

        RecordSummary s = RecordSummaries.of(read);
        assertEquals(valued.subList(0, 20), s.results().items().stream().map(r -> r.date().orElseThrow().instant()).toList());
        assertTrue(s.results().more());
        assertEquals(RecordSummaries.of(everything(patient)), s);
    }

    static <T extends SummaryItem> void assertNewestFirst(List<T> items) {
        for (int i = 1; i < items.size(); i++) {
            Instant before = items.get(i - 1).date().map(SummaryDate::instant).orElse(Instant.MIN);
            Instant after = items.get(i).date().map(SummaryDate::instant).orElse(Instant.MIN);
            assertFalse(after.isAfter(before), "newest first at " + i + ": " + items.get(i - 1) + " then " + items.get(i));
        }
    }
}
