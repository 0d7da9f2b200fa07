package org.custodian.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.postgres.PostgresForTests;
import org.custodian.records.fhir.FhirJson;
import org.custodian.records.search.Search;
import org.custodian.records.search.SearchException;
import org.custodian.records.store.StoredVersion;
import org.custodian.records.write.RecordWriter;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FHIR search as the standard defines it, on stored data: token forms, date prefixes at their edges,
 * string matching, sorting, and paging that stays consistent while data changes.
 */
class TestSearch {
    @TempDir
    static Path dir;
    static PostgresForTests postgres;
    static RecordsWorld world;
    static String ada;
    static String ben;

    @BeforeAll
    static void load() {
        postgres = PostgresForTests.start(dir.resolve("pg"));
        world = new RecordsWorld(postgres);
        ada = patient("9434765919", "Lovelace", "Ada", "1985-12-10");
        ben = patient("9434765870", "Lövelace", "Ben", "2012-03-04");
        // Ada's heart rates on the 1st to the 10th of March 2026 at 09:30Z, Ben's one blood pressure.
        for (int day = 1; day <= 10; day++) {
            observation(ada, "http://loinc.org", "8867-4", String.format("2026-03-%02dT09:30:00Z", day), "final");
        }
        observation(ada, "http://loinc.org", "8480-6", "2026-03-05", "preliminary");
        observation(ben, "http://loinc.org", "8480-6", "2026-03-05T12:00:00Z", "final");
    }

    @AfterAll
    static void stop() {
        world.close();
        postgres.close();
    }

    static String patient(String nhs, String family, String given, String birthDate) {
        String json = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + nhs
                + "\"}],\"name\":[{\"family\":\"" + family + "\",\"given\":[\"" + given + "\"]}],\"birthDate\":\"" + birthDate + "\"}";
        return world.writer.create(RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT), FhirJson.parse(json), null)
                .outcomes().get(0).id();
    }

    static String observation(String patient, String system, String code, String when, String status) {
        String json = "{\"resourceType\":\"Observation\",\"status\":\"" + status + "\",\"code\":{\"coding\":[{\"system\":\"" + system
                + "\",\"code\":\"" + code + "\"}]},\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\"" + when + "\"}";
        return world.writer.create(RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT), FhirJson.parse(json), null)
                .outcomes().get(0).id();
    }

    static List<StoredVersion> search(String type, String... pairs) {
        Search s = Search.parse(type, query(pairs));
        Search.Sql sql = s.page(s.snapshot().orElseGet(world.store::snapshot), Search.Withheld.nothing(), null, 0);
        return world.store.query(sql.text(), sql.params());
    }

    static long total(String type, String... pairs) {
        Search s = Search.parse(type, query(pairs));
        Search.Sql sql = s.total(s.snapshot().orElseGet(world.store::snapshot), Search.Withheld.nothing(), null);
        return world.store.count(sql.text(), sql.params());
    }

    static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return q;
    }

    @ParameterizedTest(name = "code={0} matches {1}")
    @CsvSource({"8867-4, 10", "http://loinc.org|8867-4, 10", "http://loinc.org|, 12", "|8867-4, 0", "http://snomed.info/sct|8867-4, 0",
            "'8867-4,8480-6', 12"})
    void tokensMatchInEveryFormTheStandardDefines(String code, int expected) {
        assertEquals(expected, total("Observation", "patient", ada + "," + ben, "code", code));
    }

    @ParameterizedTest(name = "date={0} matches {1} of Ada's heart rates")
    @CsvSource({
        // Ada's heart rates are the seconds 2026-03-0dT09:30:00Z, d = 1..10
        "2026-03-05, 1", "eq2026-03-05, 1", "2026-03, 10", "2026, 10", "ne2026-03-05, 9",
        "gt2026-03-05, 5", "ge2026-03-05, 6", "lt2026-03-05, 4", "le2026-03-05, 5",
        "sa2026-03-05, 5", "eb2026-03-05, 4",
        "ge2026-03-05T09:30:00Z, 6", "gt2026-03-05T09:30:00Z, 5", "le2026-03-05T09:30:00Z, 5", "lt2026-03-05T09:30:00Z, 4",
        "2026-03-05T09:30:00Z, 1", "2026-03-05T10:30:00+01:00, 1", "2026-03-05T09:30, 1", "2026-03-05T09:31, 0"})
    void datePrefixesHoldAtTheirEdges(String date, int expected) {
        assertEquals(expected, total("Observation", "patient", ada, "code", "8867-4", "date", date));
    }

    @Test
    void repeatedParametersAreAndedAndCommasOred() {
        assertEquals(4, total("Observation", "patient", ada, "code", "8867-4", "date", "ge2026-03-03", "date", "le2026-03-06"));
        assertEquals(2, total("Observation", "patient", ada + ",Patient/" + ben, "code", "8480-6"));
        assertEquals(1, total("Observation", "subject", "Patient/" + ben));
        assertEquals(1, total("Observation", "patient", ada, "status", "preliminary"));
    }

    @Test
    void namesMatchFromTheStartWithoutCaseOrAccents() {
        assertEquals(2, total("Patient", "family", "lovel"));
        assertEquals(0, total("Patient", "family", "ovel"));
        assertEquals(2, total("Patient", "name", "LÖVE"));
        assertEquals(1, total("Patient", "given", "ad"));
        assertEquals(0, total("Patient", "given", "da"));
        assertEquals(1, total("Patient", "given:contains", "da"));
        assertEquals(1, total("Patient", "identifier", "https://fhir.nhs.uk/Id/nhs-number|9434765870"));
        assertEquals(1, total("Patient", "birthdate", "lt2000"));
    }

    @Test
    void sortingByDateOrdersBothWays() {
        List<StoredVersion> asc = search("Observation", "patient", ada, "code", "8867-4", "_sort", "date");
        List<StoredVersion> desc = search("Observation", "patient", ada, "code", "8867-4", "_sort", "-date");
        assertEquals(10, asc.size());
        assertEquals(asc.get(0).id(), desc.get(9).id());
        assertEquals(asc.get(9).id(), desc.get(0).id());
        assertEquals(true, asc.get(0).content().contains("2026-03-01T09:30:00Z"));
    }

    @Test
    void pagesNameASnapshotSoLaterWritesDoNotShiftThem() {
        // A patient of its own, so that the writes below change no other test's data.
        String cy = world.writer.create(RecordsWorld.operator(), FhirJson.parse("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Cymru\"}]}"),
                null).outcomes().get(0).id();
        for (int day = 1; day <= 10; day++) {
            observation(cy, "http://loinc.org", "8867-4", String.format("2026-03-%02dT09:30:00Z", day), "final");
        }
        Search first = Search.parse("Observation", query("patient", cy, "_sort", "date", "_count", "4"));
        long snapshot = world.store.snapshot();
        Search.Sql p1 = first.page(snapshot, Search.Withheld.nothing(), null, 0);
        List<StoredVersion> page1 = world.store.query(p1.text(), p1.params());
        // A new, earlier heart rate arrives between the pages.
        observation(cy, "http://loinc.org", "8867-4", "2026-02-01T09:30:00Z", "final");
        Search second = Search.parse("Observation", query("patient", cy, "_sort", "date", "_count", "4",
                Search.SNAPSHOT, Long.toString(snapshot), Search.OFFSET, "4"));
        Search.Sql p2 = second.page(second.snapshot().orElseThrow(), Search.Withheld.nothing(), null, 0);
        List<StoredVersion> page2 = world.store.query(p2.text(), p2.params());
        assertEquals(4, page1.size());
        assertEquals(4, page2.size());
        assertEquals(true, page2.get(0).content().contains("2026-03-05T09:30:00Z"), "page 2 starts where page 1 ended");
        Search.Sql t = second.total(snapshot, Search.Withheld.nothing(), null);
        assertEquals(10, world.store.count(t.text(), t.params()), "the total is the snapshot's");
        assertEquals(11, total("Observation", "patient", cy), "a new search sees the new one");
    }

    @Test
    void unknownParametersAndMalformedValuesAreRefused() {
        assertThrows(SearchException.class, () -> Search.parse("Observation", query("colour", "red")));
        assertThrows(SearchException.class, () -> Search.parse("Observation", query("date", "yesterday")));
        assertThrows(SearchException.class, () -> Search.parse("Observation", query("_count", "-1")));
        assertThrows(SearchException.class, () -> Search.parse("Observation", query("_sort", "code")));
        assertThrows(SearchException.class, () -> Search.parse("Observation", query("code:text", "heart")));
        assertThrows(SearchException.class, () -> Search.parse("Observation", query("_include", "Observation:performer")));
    }

    @Test
    void aTransactionBundleResolvesItsOwnReferences() {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:0f2b6c8e-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Nobody\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:0f2b6c8e-0000-4000-8000-000000000001\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        RecordWriter.BundleResult r = world.writer.bundle(RecordsWorld.operator(), (Bundle) FhirJson.parse(bundle));
        String location = r.response().getEntry().get(0).getResponse().getLocation();
        String patientId = location.split("/")[1];
        assertEquals(1, total("Observation", "patient", patientId));
    }

    @Test
    void eachPatientsWithheldCategoriesAreLeftOutOfPagesAndTotalsAlike() {
        // Without NHS numbers: the search's SQL is what is tested here, not the gate.
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            ids[i] = world.writer.create(RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT),
                    FhirJson.parse("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Withers\"}]}"), null).outcomes().get(0).id();
        }
        String p1 = ids[0];
        String p2 = ids[1];
        for (String p : List.of(p1, p2)) {
            observation(p, "http://loinc.org", "8867-4", "2026-01-01", "final");
            String json = "{\"resourceType\":\"Observation\",\"meta\":{\"security\":[{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"}]},\"status\":\"final\","
                    + "\"code\":{\"text\":\"mood\"},\"subject\":{\"reference\":\"Patient/" + p + "\"}}";
            world.writer.create(RecordsWorld.as(RecordsWorld.GP_DOCTOR, RecordsWorld.GP, Purpose.TREAT), FhirJson.parse(json), null);
        }
        Search s = Search.parse("Observation", query("patient", p1 + "," + p2));
        long snapshot = world.store.snapshot();
        String[] both = {p1, p2};
        Search.Withheld p1WithholdsPsy = Search.Withheld.byPatient(Map.of(p1, new String[] {"PSY"}, p2, new String[0]));
        for (int pass = 0; pass < 2; pass++) {
            Search.Sql page = s.page(snapshot, p1WithholdsPsy, both, 0);
            List<StoredVersion> rows = world.store.query(page.text(), page.params());
            assertEquals(3, rows.size(), "both of Dai's, Una's plain one");
            assertTrue(rows.stream().noneMatch(v -> v.patientId().equals(p1) && !v.categories().isEmpty()));
            Search.Sql total = s.total(snapshot, p1WithholdsPsy, both);
            assertEquals(3, world.store.count(total.text(), total.params()), "the total counts what the page may hold");
            Search.Sql bothWithhold = s.total(snapshot, Search.Withheld.byPatient(Map.of(p1, new String[] {"PSY"}, p2, new String[] {"PSY"})), both);
            assertEquals(2, world.store.count(bothWithhold.text(), bothWithhold.params()));
            Search.Sql nothing = s.total(snapshot, Search.Withheld.nothing(), both);
            assertEquals(4, world.store.count(nothing.text(), nothing.params()));
            // The same after the upkeep `custodian import` does after a bulk load.
            org.custodian.records.store.Maintenance.vacuumAnalyze(world.ds);
        }
    }
}
