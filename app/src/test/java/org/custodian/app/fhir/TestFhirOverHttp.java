package org.custodian.app.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FHIR API over HTTP, as a clinical system uses it: a `custodian serve` process, the example
 * registers, tokens from the deployment's key, Ada's record posted as a transaction and the Synthea
 * bundles loaded. Every read passes the gate and carries its receipt; refusals and withheld categories
 * are left out and said to be; errors are OperationOutcomes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestFhirOverHttp {
    private static final String ADA = "9434765919";
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Organisation HOSPITAL = new Organisation("RX101", "Northfield General Hospital NHS Trust", Sector.NHS_CARE);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
    private static final Person HOSPITAL_DOCTOR = new Person("dr-patel", "Dr Ravi Patel", Role.CLINICIAN, HOSPITAL.id(), null);
    private static final Person PATIENT_ADA = new Person("patient-ada", "Ada Lovelace", Role.PATIENT, PRACTICE.id(), new NhsNumber(ADA));

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ServeProcess server;
    private String base;
    private TokenIssuer issuer;
    private String gp;
    private String adaPatient;

    @BeforeAll
    void start() throws Exception {
        Path data = dir.resolve("data");
        Cli.run("register", "--data", data.toString(), SharedData.locate("docs/examples/registers.json").toString()).exits(0);
        server = ServeProcess.start(data);
        base = server.url() + "fhir";
        issuer = ServeProcess.tokenIssuer(data);
        gp = token(GP, PRACTICE, Purpose.TREAT);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private String token(Person who, Organisation org, Purpose purpose) {
        return issuer.issue(who, org, purpose, null, Duration.ofMinutes(30)).token();
    }

    private HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/fhir+json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        return send("GET", url.startsWith("http") ? url : base + url, token, null);
    }

    private static Map<?, ?> json(HttpResponse<String> r) {
        return (Map<?, ?>) CanonicalJson.parse(r.body());
    }

    private static List<?> entries(Map<?, ?> bundle) {
        Object e = bundle.get("entry");
        return e == null ? List.of() : (List<?>) e;
    }

    private static List<Map<?, ?>> resources(Map<?, ?> bundle, String mode) {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object o : entries(bundle)) {
            Map<?, ?> e = (Map<?, ?>) o;
            Map<?, ?> search = (Map<?, ?>) e.get("search");
            if (search != null && mode.equals(search.get("mode"))) {
                out.add((Map<?, ?>) e.get("resource"));
            }
        }
        return out;
    }

    private static String issueCodes(HttpResponse<String> r) {
        return r.body();
    }

    private static String adaBundle() {
        StringBuilder entries = new StringBuilder();
        entries.append("{\"fullUrl\":\"urn:uuid:a0000000-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + ADA + "\"}],"
                + "\"name\":[{\"family\":\"Lovelace\",\"given\":[\"Ada\"]}],\"gender\":\"female\",\"birthDate\":\"1985-12-10\"},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"identifier=https://fhir.nhs.uk/Id/nhs-number|" + ADA + "\"}}");
        for (int i = 1; i <= 25; i++) {
            entries.append(",{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
                    + "\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"urn:uuid:a0000000-0000-4000-8000-000000000001\"},"
                    + "\"effectiveDateTime\":\"2026-10-" + String.format("%02d", i) + "T09:00:00Z\",\"valueQuantity\":{\"value\":" + (60 + i) + "}},"
                    + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        entries.append(",{\"resource\":{\"resourceType\":\"Condition\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\","
                + "\"code\":\"35489007\",\"display\":\"Depressive disorder\"}]},\"subject\":{\"reference\":\"urn:uuid:a0000000-0000-4000-8000-000000000001\"},"
                + "\"onsetDateTime\":\"2024-03-01\"},\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}");
        entries.append(",{\"resource\":{\"resourceType\":\"Condition\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\","
                + "\"code\":\"44054006\",\"display\":\"Diabetes\"}]},\"subject\":{\"reference\":\"urn:uuid:a0000000-0000-4000-8000-000000000001\"},"
                + "\"onsetDateTime\":\"2020-06-01\"},\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}");
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
    }

    @Test
    @Order(1)
    void aClinicianPostsATransactionAndReadsItBackWithAReceipt() throws Exception {
        HttpResponse<String> posted = send("POST", base, gp, adaBundle());
        assertEquals(200, posted.statusCode(), posted.body());
        assertNotNull(posted.headers().firstValue("X-Custodian-Receipt").orElse(null), "the gate's decision to allow the write");
        Map<?, ?> response = json(posted);
        assertEquals("transaction-response", response.get("type"));
        String location = (String) ((Map<?, ?>) ((Map<?, ?>) entries(response).get(0)).get("response")).get("location");
        adaPatient = location.split("/")[1];

        HttpResponse<String> read = get("/Patient/" + adaPatient, gp);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("application/fhir+json", read.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("W/\"1\"", read.headers().firstValue("ETag").orElseThrow());
        long receipt = Long.parseLong(read.headers().firstValue("X-Custodian-Receipt").orElseThrow());
        // The receipt is a ledger entry anyone can get an inclusion proof for, once integrated.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> proof;
        do {
            proof = get(server.url() + "api/receipts/" + receipt, null);
        } while (proof.statusCode() == 404 && System.nanoTime() < deadline && sleep());
        assertEquals(200, proof.statusCode(), proof.body());
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }

    @Test
    @Order(2)
    void searchPagesFollowTheirLinksToEveryResultOnce() throws Exception {
        String url = "/Observation?patient=" + adaPatient + "&_count=10&_sort=-date";
        Set<String> seen = new HashSet<>();
        int pages = 0;
        Object total = null;
        while (url != null) {
            HttpResponse<String> r = get(url, gp);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("X-Custodian-Receipt").isPresent());
            Map<?, ?> bundle = json(r);
            total = bundle.get("total");
            for (Map<?, ?> o : resources(bundle, "match")) {
                assertTrue(seen.add((String) o.get("id")), "each result once");
            }
            url = null;
            for (Object l : (List<?>) bundle.get("link")) {
                if ("next".equals(((Map<?, ?>) l).get("relation"))) {
                    url = (String) ((Map<?, ?>) l).get("url");
                }
            }
            pages++;
            if (pages == 1) {
                // Data changing between pages does not shift the pages or the total.
                assertEquals(201, send("POST", base + "/Observation", gp, "{\"resourceType\":\"Observation\",\"status\":\"final\","
                        + "\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/" + adaPatient + "\"},"
                        + "\"effectiveDateTime\":\"2026-11-01\"}").statusCode());
            }
        }
        assertEquals(3, pages);
        assertEquals(25L, total);
        assertEquals(25, seen.size());
    }

    @Test
    @Order(3)
    void aClinicianWithoutACareRelationshipIsRefusedAndTheRefusalIsRecorded() throws Exception {
        String hospital = token(HOSPITAL_DOCTOR, HOSPITAL, Purpose.TREAT);
        HttpResponse<String> read = get("/Patient/" + adaPatient, hospital);
        assertEquals(403, read.statusCode(), read.body());
        assertEquals("OperationOutcome", json(read).get("resourceType"));
        assertTrue(read.body().contains("statutory.care-needs-relationship"), read.body());
        assertTrue(read.headers().firstValue("X-Custodian-Receipt").isPresent(), "the refusal is in the ledger");

        HttpResponse<String> search = get("/Observation?patient=" + adaPatient, hospital);
        assertEquals(200, search.statusCode(), search.body());
        Map<?, ?> bundle = json(search);
        assertEquals(0L, bundle.get("total"));
        assertTrue(resources(bundle, "match").isEmpty());
        assertEquals(1, resources(bundle, "outcome").size(), "the search says results were withheld");
    }

    @Test
    @Order(4)
    void aWithheldCategoryIsLeftOutOfSearchesAndRefusedOnRead() throws Exception {
        HttpResponse<String> before = get("/Condition?patient=" + adaPatient, gp);
        assertEquals(2L, json(before).get("total"));
        String depression = null;
        for (Map<?, ?> c : resources(json(before), "match")) {
            if (CanonicalJson.canonicalString(c).contains("35489007")) {
                depression = (String) c.get("id");
            }
        }
        String consent = "{\"resourceType\":\"Consent\",\"status\":\"active\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                + "\"patient\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + ADA + "\"}},"
                + "\"provision\":{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\",\"securityLabel\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"}]}]}}";
        HttpResponse<String> put = send("PUT", server.url() + "api/patients/" + ADA + "/consent", token(PATIENT_ADA, PRACTICE, Purpose.PATRQT), consent);
        assertEquals(200, put.statusCode(), put.body());

        HttpResponse<String> after = get("/Condition?patient=" + adaPatient, gp);
        Map<?, ?> bundle = json(after);
        assertEquals(1L, bundle.get("total"));
        assertFalse(after.body().contains("35489007"), "the depression is not in the results");
        assertEquals(1, resources(bundle, "outcome").size());
        assertEquals(403, get("/Condition/" + depression, gp).statusCode());
        HttpResponse<String> everything = get("/Patient/" + adaPatient + "/$everything?_count=100", gp);
        assertEquals(200, everything.statusCode(), everything.body());
        assertFalse(everything.body().contains("35489007"));
        assertTrue(everything.body().contains("44054006"));
        // Ada herself sees her whole record.
        HttpResponse<String> own = get("/Condition?patient=" + adaPatient, token(PATIENT_ADA, PRACTICE, Purpose.PATRQT));
        assertEquals(2L, json(own).get("total"));

        // Neither a count nor its absence reveals the withheld record: searching Ada and Ben together (Ben
        // withholds nothing), or across patients by the depression's code.
        HttpResponse<String> ben = send("POST", base, gp, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:b0000000-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"9434765870\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Condition\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\","
                + "\"code\":\"35489007\"}]},\"subject\":{\"reference\":\"urn:uuid:b0000000-0000-4000-8000-000000000001\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}]}");
        assertEquals(200, ben.statusCode(), ben.body());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Patient/([^/\"]+)/_history").matcher(ben.body());
        assertTrue(m.find(), ben.body());
        String benPatient = m.group(1);
        Map<?, ?> both = json(get("/Condition?patient=" + adaPatient + "," + benPatient, gp));
        assertEquals(2, resources(both, "match").size(), "Ada's diabetes and Ben's depression, not Ada's");
        assertEquals(2L, both.get("total"), "the total does not count Ada's withheld record");
        for (int count : new int[] {1, 50}) {
            List<Object> found = new ArrayList<>();
            String url = "/Condition?code=http://snomed.info/sct%7C35489007&_count=" + count + "&_total=accurate";
            for (int pages = 0; url != null; pages++) {
                assertTrue(pages < 5, "paging ends");
                Map<?, ?> across = json(get(url, gp));
                assertEquals(null, across.get("total"), "no total across patients");
                resources(across, "match").forEach(r -> found.add(r.get("id")));
                url = null;
                for (Object l : (List<?>) across.get("link")) {
                    if ("next".equals(((Map<?, ?>) l).get("relation"))) {
                        url = (String) ((Map<?, ?>) l).get("url");
                    }
                }
            }
            assertEquals(1, found.size(), "Ben's depression only, with " + count + " a page: " + found);
            assertFalse(found.contains(depression));
        }
    }

    @Test
    @Order(5)
    void theSyntheaBundlesLoadOverHttpAndUnlinkedRecordsAreNotReleased() throws Exception {
        List<Path> files;
        try (var s = Files.list(SharedData.locate("shared/data/fhir/synthea"))) {
            files = s.sorted().toList();
        }
        String synthea = null;
        for (Path f : files) {
            HttpResponse<String> r = send("POST", base, gp, Files.readString(f));
            assertEquals(200, r.statusCode(), f + ": " + r.body().substring(0, Math.min(500, r.body().length())));
            if (f.getFileName().toString().startsWith("4b86befa")) {
                assertEquals(3177, entries(json(r)).size());
                Map<?, ?> first = (Map<?, ?>) ((Map<?, ?>) entries(json(r)).get(0)).get("response");
                synthea = ((String) first.get("location")).split("/")[1];
            }
        }
        HttpResponse<String> read = get("/Patient/" + synthea, gp);
        assertEquals(403, read.statusCode(), read.body());
        assertTrue(read.body().contains("record.unlinked"), read.body());
        // Directory data needs no patient's permission.
        HttpResponse<String> practitioners = get("/Practitioner?_count=5", gp);
        assertEquals(200, practitioners.statusCode());
        assertEquals(5, resources(json(practitioners), "match").size());
    }

    @Test
    @Order(6)
    void errorsAreOperationOutcomesWithTheRightStatus() throws Exception {
        HttpResponse<String> anonymous = get("/Patient/" + adaPatient, null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals("OperationOutcome", json(anonymous).get("resourceType"));
        assertEquals(400, get("/Observation?colour=red", gp).statusCode());
        assertEquals(404, get("/Observation/no-such-thing", gp).statusCode());
        assertEquals(404, get("/Spaceship/1", gp).statusCode());
        HttpResponse<String> badNhs = send("POST", base + "/Patient", gp, "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
                + "\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"1234567890\"}]}");
        assertEquals(422, badNhs.statusCode(), badNhs.body());
        assertTrue(badNhs.body().contains("not a valid NHS number"));
        assertEquals(400, send("POST", base + "/Patient", gp, "{\"resourceType\":\"Patient\",\"gender\":42").statusCode());
        assertEquals(400, send("POST", base + "/Patient", gp, "{\"resourceType\":\"Patient\",\"colour\":\"red\"}").statusCode());
        for (HttpResponse<String> r : List.of(get("/Observation?colour=red", gp), badNhs)) {
            assertEquals("OperationOutcome", json(r).get("resourceType"), issueCodes(r));
        }
    }

    @Test
    @Order(6)
    void unknownSearchParametersAreRefusedUnlessTheClientPrefersLenientHandling() throws Exception {
        String url = base + "/Observation?patient=" + adaPatient + "&colour=red&_count=5";
        HttpResponse<String> strict = get(url, gp);
        assertEquals(400, strict.statusCode(), strict.body());
        assertTrue(strict.body().contains("colour"), strict.body());

        HttpResponse<String> lenient = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + gp)
                .header("Prefer", "handling=lenient").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, lenient.statusCode(), lenient.body());
        assertTrue(lenient.headers().firstValue("X-Custodian-Receipt").isPresent(), "the search still passed the gate");
        Map<?, ?> bundle = json(lenient);
        assertEquals(5, resources(bundle, "match").size(), "the known criteria still applied");
        List<Map<?, ?>> outcomes = resources(bundle, "outcome");
        assertTrue(outcomes.toString().contains("not-supported") && outcomes.toString().contains("colour"), outcomes.toString());
        for (Object l : (List<?>) bundle.get("link")) {
            String link = (String) ((Map<?, ?>) l).get("url");
            assertFalse(link.contains("colour"), "paging links carry the search that was run: " + link);
        }
    }

    @Test
    @Order(7)
    void theCapabilityStatementListsWhatIsSupported() throws Exception {
        HttpResponse<String> r = get("/metadata", null);
        assertEquals(200, r.statusCode());
        Map<?, ?> cs = json(r);
        assertEquals("CapabilityStatement", cs.get("resourceType"));
        assertEquals("4.0.1", cs.get("fhirVersion"));
        assertTrue(r.body().contains("\"name\":\"vaccine-code\""));
    }

    @Test
    @Order(8)
    void historyAndVreadPassTheGateToo() throws Exception {
        HttpResponse<String> current = get("/Patient/" + adaPatient, gp);
        String updated = current.body().replace("\"gender\":\"female\"", "\"gender\":\"female\",\"active\":true");
        HttpResponse<String> put = send("PUT", base + "/Patient/" + adaPatient, gp, updated);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("W/\"2\"", put.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> history = get("/Patient/" + adaPatient + "/_history", gp);
        assertEquals(200, history.statusCode(), history.body());
        assertEquals("history", json(history).get("type"));
        // Two versions, and (Ada withholds a category) the note that such versions are left out if there are any.
        assertEquals(2, entries(json(history)).stream()
                .filter(e -> "Patient".equals(((Map<?, ?>) ((Map<?, ?>) e).get("resource")).get("resourceType"))).count());
        assertTrue(history.headers().firstValue("X-Custodian-Receipt").isPresent());
        assertEquals(200, get("/Patient/" + adaPatient + "/_history/1", gp).statusCode());
        String hospital = token(HOSPITAL_DOCTOR, HOSPITAL, Purpose.TREAT);
        assertEquals(403, get("/Patient/" + adaPatient + "/_history", hospital).statusCode());
        assertEquals(403, get("/Patient/" + adaPatient + "/_history/1", hospital).statusCode());
        assertEquals(409, putWithStaleVersion(updated), "If-Match naming version 1 when 2 is current");
    }

    private int putWithStaleVersion(String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/Patient/" + adaPatient)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + gp).header("Content-Type", "application/fhir+json").header("If-Match", "W/\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString(body.replace("\"active\":true", "\"active\":false"))).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
