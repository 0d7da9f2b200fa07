package org.custodian.app.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Medication written in the same transaction as one patient's prescription of it is part of that
 * patient's record, over HTTP against a {@code custodian serve} process. Every version of one write shares
 * {@code meta.lastUpdated}, so as directory data the HIV-coded Medication written with Ada's prescriptions
 * would be found by {@code GET /fhir/Medication?_lastUpdated=eq<time of her paracetamol>} by her GP, from
 * whom she withholds HIV. Now every path that returns Medications gates it as Ada's: read, vread, history,
 * search by time, code and id, {@code $everything} and Bulk Data export. A clinician she allows gets it,
 * with a receipt; a clinician without a care relationship gets nothing of it. A Medication written on its
 * own is still directory data, read by anyone authenticated without a decision.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestMedicationInPatientRecordOverHttp {
    private static final String ADA = "9434765919";
    private static final String BEN = "9434765870";
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Organisation HOSPITAL = new Organisation("RX101", "Northfield General Hospital NHS Trust", Sector.NHS_CARE);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
    /** A second clinician at Ada's practice, the one she still allows HIV records to. */
    private static final Person HIV_NURSE = new Person("nurse-adeyemi", "Tola Adeyemi", Role.CLINICIAN, PRACTICE.id(), null);
    /** The hospital's referral for Ada ended in July 2026: no care relationship now. */
    private static final Person HOSPITAL_DOCTOR = new Person("dr-patel", "Dr Ravi Patel", Role.CLINICIAN, HOSPITAL.id(), null);
    private static final Person PATIENT_ADA = new Person("patient-ada", "Ada Lovelace", Role.PATIENT, PRACTICE.id(), new NhsNumber(ADA));
    /** HIV infection, a code sensitive-codes.tsv lists. */
    private static final String HIV_CODE = "86406008";

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ServeProcess server;
    private String base;
    private TokenIssuer issuer;
    private String gp;
    private String nurse;
    private String stranger;

    @BeforeAll
    void start() throws Exception {
        Path data = dir.resolve("data");
        String registers = Files.readString(SharedData.locate("docs/examples/registers.json"));
        registers = registers.replaceFirst("\"people\": \\[", "\"people\": [{\"id\": \"nurse-adeyemi\", \"name\": \"Tola Adeyemi\","
                + " \"role\": \"clinician\", \"organisation\": \"A99001\"},");
        Path file = dir.resolve("registers.json");
        Files.writeString(file, registers);
        Cli.run("register", "--data", data.toString(), file.toString()).exits(0);
        server = ServeProcess.start(data);
        base = server.url() + "fhir";
        issuer = ServeProcess.tokenIssuer(data);
        gp = issuer.issue(GP, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(30)).token();
        nurse = issuer.issue(HIV_NURSE, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(30)).token();
        stranger = issuer.issue(HOSPITAL_DOCTOR, HOSPITAL, Purpose.TREAT, null, Duration.ofMinutes(30)).token();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aMedicationWrittenWithAdasPrescriptionIsGatedAsAdasOnEveryPath() throws Exception {
        String patient = "urn:uuid:d1000000-0000-4000-8000-000000000001";
        String medication = "urn:uuid:d1000000-0000-4000-8000-000000000002";
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"" + patient + "\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + ADA + "\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"medicationCodeableConcept\":"
                + "{\"text\":\"paracetamol\"},\"subject\":{\"reference\":\"" + patient + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}},"
                + "{\"fullUrl\":\"" + medication + "\",\"resource\":" + hivMedication(null, "antiretroviral") + ","
                + "\"request\":{\"method\":\"POST\",\"url\":\"Medication\"}},"
                + "{\"resource\":" + prescription(patient, medication) + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}}]}";
        HttpResponse<String> posted = send("POST", base, gp, bundle);
        assertEquals(200, posted.statusCode(), posted.body());
        String ada = id(posted, 0);
        String plainRx = id(posted, 1);
        String hivMed = id(posted, 2);
        withholdHivFromAllBut(HIV_NURSE.id());

        // The side channel: the paracetamol, which the GP may see, was written at the same millisecond.
        HttpResponse<String> paracetamol = send("GET", "/MedicationRequest/" + plainRx, gp, null);
        assertEquals(200, paracetamol.statusCode(), paracetamol.body());
        String time = lastUpdated(paracetamol.body());
        HttpResponse<String> allowedRead = send("GET", "/Medication/" + hivMed, nurse, null);
        assertEquals(200, allowedRead.statusCode(), allowedRead.body());
        assertEquals(time, lastUpdated(allowedRead.body()), "the Medication shares the write's lastUpdated");
        String byTime = "/Medication?_lastUpdated=eq" + URLEncoder.encode(time, StandardCharsets.UTF_8);

        // The GP, from whom Ada withholds HIV: refused by id (and recorded), found by no search.
        HttpResponse<String> read = send("GET", "/Medication/" + hivMed, gp, null);
        assertEquals(403, read.statusCode(), read.body());
        assertTrue(read.body().contains("consent.categories-withheld"), read.body());
        assertTrue(read.headers().firstValue("X-Custodian-Receipt").isPresent(), "the refusal is recorded");
        assertEquals(403, send("GET", "/Medication/" + hivMed + "/_history/1", gp, null).statusCode());
        HttpResponse<String> history = send("GET", "/Medication/" + hivMed + "/_history", gp, null);
        assertEquals(200, history.statusCode(), history.body());
        assertFalse(history.body().contains("antiretroviral"), history.body());
        // Medication has no code search here (400): what a search by code would find is what these find.
        assertEquals(400, send("GET", "/Medication?code=" + HIV_CODE, gp, null).statusCode());
        for (String search : List.of(byTime, "/Medication", "/Medication?_id=" + hivMed, "/Medication?_lastUpdated=ge2000-01-01")) {
            HttpResponse<String> found = send("GET", search, gp, null);
            assertEquals(200, found.statusCode(), search + ": " + found.body());
            assertFalse(matches(found, "Medication").contains(hivMed), search);
            assertFalse(found.body().contains("antiretroviral"), search + ": " + found.body()); // (the links name the id searched for)
        }
        // A conditional create whose one match is the Medication returns the match: a read, gated as one.
        for (String token : List.of(gp, stranger)) {
            HttpResponse<String> conditional = send("POST", "/Medication", token, hivMedication(null, "probe"), Map.of("If-None-Exist", "_id=" + hivMed));
            assertEquals(403, conditional.statusCode(), conditional.body());
            assertFalse(conditional.body().contains("antiretroviral"), conditional.body());
        }
        HttpResponse<String> everything = send("GET", "/Patient/" + ada + "/$everything?_count=100", gp, null);
        assertEquals(200, everything.statusCode(), everything.body());
        assertFalse(everything.body().contains(hivMed), everything.body());
        assertTrue(everything.body().contains(plainRx));
        for (String kickOff : List.of("/$export", "/Patient/$export", "/$export?_type=Medication")) {
            String exported = export(gp, kickOff);
            assertFalse(exported.contains(hivMed) || exported.contains("antiretroviral"), kickOff + ": " + exported);
        }

        // The clinician Ada allows: every path gives it, each with a decision recorded.
        assertTrue(allowedRead.headers().firstValue("X-Custodian-Receipt").isPresent(), "a decision was recorded for the read");
        assertEquals(200, send("GET", "/Medication/" + hivMed + "/_history/1", nurse, null).statusCode());
        for (String search : List.of(byTime, "/Medication", "/Medication?_id=" + hivMed)) {
            HttpResponse<String> found = send("GET", search, nurse, null);
            assertEquals(200, found.statusCode(), search + ": " + found.body());
            assertTrue(matches(found, "Medication").contains(hivMed), search);
            assertTrue(found.headers().firstValue("X-Custodian-Receipt").isPresent(), search + ": a decision was recorded");
        }
        assertTrue(send("GET", "/Patient/" + ada + "/$everything?_count=100", nurse, null).body().contains(hivMed));
        for (String kickOff : List.of("/$export", "/Patient/$export", "/$export?_type=Medication", "/Patient/$export?_type=Medication")) {
            assertTrue(export(nurse, kickOff).contains(hivMed), kickOff);
        }

        // A clinician with no care relationship to Ada: nothing of it.
        HttpResponse<String> refused = send("GET", "/Medication/" + hivMed, stranger, null);
        assertEquals(403, refused.statusCode(), refused.body());
        assertFalse(refused.body().contains("antiretroviral"));
        assertTrue(refused.headers().firstValue("X-Custodian-Receipt").isPresent(), "the refusal is recorded");
        for (String search : List.of(byTime, "/Medication", "/Medication?_id=" + hivMed)) {
            HttpResponse<String> found = send("GET", search, stranger, null);
            assertEquals(200, found.statusCode(), search + ": " + found.body());
            assertFalse(matches(found, "Medication").contains(hivMed), search);
            assertFalse(found.body().contains("antiretroviral"), search);
        }
        assertFalse(export(stranger, "/$export").contains(hivMed));

        // Written again on its own, it stays Ada's: a resource does not leave the gate by being rewritten.
        HttpResponse<String> rewritten = send("PUT", "/Medication/" + hivMed, gp, hivMedication(hivMed, "antiretroviral, renamed"));
        assertEquals(200, rewritten.statusCode(), rewritten.body());
        assertEquals(403, send("GET", "/Medication/" + hivMed, gp, null).statusCode());
        assertEquals(403, send("GET", "/Medication/" + hivMed, stranger, null).statusCode());
        assertEquals(List.of(), matches(send("GET", "/Medication?_id=" + hivMed, stranger, null), "Medication"));
        assertTrue(send("GET", "/Medication/" + hivMed, nurse, null).body().contains("renamed"));
    }

    @Test
    void aMedicationWrittenOnItsOwnIsStillDirectoryData() throws Exception {
        HttpResponse<String> put = send("PUT", "/Medication/formulary-paracetamol", gp,
                "{\"resourceType\":\"Medication\",\"id\":\"formulary-paracetamol\",\"code\":{\"text\":\"paracetamol 500 mg tablets\"}}");
        assertEquals(201, put.statusCode(), put.body());
        HttpResponse<String> read = send("GET", "/Medication/formulary-paracetamol", stranger, null);
        assertEquals(200, read.statusCode(), read.body());
        assertFalse(read.headers().firstValue("X-Custodian-Receipt").isPresent(), "directory data: no decision");
        HttpResponse<String> found = send("GET", "/Medication?_id=formulary-paracetamol", stranger, null);
        assertEquals(List.of("formulary-paracetamol"), matches(found, "Medication"));
        assertFalse(found.headers().firstValue("X-Custodian-Receipt").isPresent(), "directory data: no decision");
        assertTrue(export(stranger, "/$export?_type=Medication").contains("formulary-paracetamol"));
    }

    @Test
    void aMedicationThatSeveralPatientsPrescriptionsInOneWriteReferToIsRefused() throws Exception {
        String ben = "urn:uuid:d2000000-0000-4000-8000-000000000001";
        String other = "urn:uuid:d2000000-0000-4000-8000-000000000002";
        String medication = "urn:uuid:d2000000-0000-4000-8000-000000000003";
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"" + ben + "\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + BEN + "\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"fullUrl\":\"" + other + "\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Unlinked\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"fullUrl\":\"" + medication + "\",\"resource\":" + hivMedication(null, "shared") + ","
                + "\"request\":{\"method\":\"POST\",\"url\":\"Medication\"}},"
                + "{\"resource\":" + prescription(ben, medication) + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}},"
                + "{\"resource\":" + prescription(other, medication) + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}}]}";
        HttpResponse<String> posted = send("POST", base, gp, bundle);
        assertEquals(422, posted.statusCode(), posted.body());
        assertTrue(posted.body().contains("can be part of only one"), posted.body());
        assertFalse(send("GET", "/Medication", stranger, null).body().contains("\"shared\""), "nothing was stored");
    }

    // ---------------------------------------------------------------- helpers

    private void withholdHivFromAllBut(String person) throws Exception {
        String consent = "{\"resourceType\":\"Consent\",\"status\":\"active\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                + "\"patient\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + ADA + "\"}},"
                + "\"provision\":{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\",\"securityLabel\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"HIV\"}],\"provision\":[{\"type\":\"permit\",\"actor\":[{"
                + "\"role\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                + "\"reference\":{\"identifier\":{\"system\":\"https://custodian.example/Id/person\",\"value\":\"" + person + "\"}}}]}]}]}}";
        HttpResponse<String> put = send("PUT", server.url() + "api/patients/" + ADA + "/consent",
                issuer.issue(PATIENT_ADA, PRACTICE, Purpose.PATRQT, null, Duration.ofMinutes(30)).token(), consent);
        assertEquals(200, put.statusCode(), put.body());
    }

    private static String hivMedication(String id, String text) {
        return "{\"resourceType\":\"Medication\"" + (id == null ? "" : ",\"id\":\"" + id + "\"") + ",\"code\":{\"coding\":[{\"system\":"
                + "\"http://snomed.info/sct\",\"code\":\"" + HIV_CODE + "\"}],\"text\":\"" + text + "\"}}";
    }

    private static String prescription(String patient, String medication) {
        return "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"authoredOn\":\"2026-11-01\","
                + "\"medicationReference\":{\"reference\":\"" + medication + "\"},\"subject\":{\"reference\":\"" + patient + "\"}}";
    }

    /** Runs a Bulk Data export to completion and returns every output file, concatenated. */
    private String export(String token, String kickOff) throws Exception {
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + kickOff)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Prefer", "respond-async").header("Accept", "application/fhir+json").GET()
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(202, accepted.statusCode(), kickOff + ": " + accepted.body());
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> done;
        while (true) {
            done = send("GET", status, token, null);
            if (done.statusCode() != 202) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the export did not complete within a minute");
            Thread.sleep(100);
        }
        assertEquals(200, done.statusCode(), done.body());
        StringBuilder out = new StringBuilder();
        for (Object item : (List<?>) ((Map<?, ?>) CanonicalJson.parse(done.body())).get("output")) {
            HttpResponse<String> file = send("GET", (String) ((Map<?, ?>) item).get("url"), token, null);
            assertEquals(200, file.statusCode(), file.body());
            out.append(file.body());
        }
        return out.toString();
    }

    private HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        return send(method, url, token, body, Map.of());
    }

    private HttpResponse<String> send(String method, String url, String token, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/fhir+json");
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String id(HttpResponse<String> transaction, int entry) {
        Map<?, ?> response = (Map<?, ?>) CanonicalJson.parse(transaction.body());
        Map<?, ?> e = (Map<?, ?>) ((List<?>) response.get("entry")).get(entry);
        return ((String) ((Map<?, ?>) e.get("response")).get("location")).split("/")[1];
    }

    private static String lastUpdated(String resource) {
        return (String) ((Map<?, ?>) ((Map<?, ?>) CanonicalJson.parse(resource)).get("meta")).get("lastUpdated");
    }

    /** The ids of the searchset's matches of this type. */
    private static List<String> matches(HttpResponse<String> searchset, String type) {
        List<String> ids = new ArrayList<>();
        Object entries = ((Map<?, ?>) CanonicalJson.parse(searchset.body())).get("entry");
        for (Object o : entries == null ? List.of() : (List<?>) entries) {
            Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) o).get("resource");
            if (resource.get("resourceType").equals(type)) {
                ids.add((String) resource.get("id"));
            }
        }
        return ids;
    }
}
