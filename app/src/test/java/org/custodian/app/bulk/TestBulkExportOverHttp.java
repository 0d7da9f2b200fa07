package org.custodian.app.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
import org.custodian.app.database.Database;
import org.custodian.app.database.DatabaseOptions;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.records.fhir.FhirJson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HL7 FHIR Bulk Data export over HTTP, as a clinical system uses it against {@code custodian serve}: the
 * example registers, a GP who cares for Ada and Ben but not Carl, a patient (Dan) with no NHS number,
 * Ada withholding mental-health records; kick-off, poll, manifest, download, delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBulkExportOverHttp {
    private static final String ADA = "9434765919";
    private static final String BEN = "9434765870";
    /** A valid NHS number nobody at the practice cares for. */
    private static final String CARL = "9434765005";

    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
    private static final Person RECEPTION = new Person("reception-jones", "Carys Jones", Role.RECEPTION, PRACTICE.id(), null);
    private static final Person PATIENT_ADA = new Person("patient-ada", "Ada Lovelace", Role.PATIENT, PRACTICE.id(), new NhsNumber(ADA));

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ServeProcess server;
    private String url;
    private Path data;
    private TokenIssuer issuer;
    private String gp;

    @BeforeAll
    void startAServerWithRecords() throws Exception {
        data = dir.resolve("data");
        Cli.run("register", "--data", data.toString(), repositoryFile("docs/examples/registers.json")).exits(0);
        server = ServeProcess.start(data);
        url = server.url();
        issuer = ServeProcess.tokenIssuer(data);
        gp = token(GP, Purpose.TREAT);

        put(gp, patient("ada", ADA));
        put(gp, patient("ben", BEN));
        put(gp, patient("dan", null));
        put(gp, observation("ada-obs-1", "ada", "weight"));
        put(gp, observation("ada-obs-2", "ada", "height"));
        put(gp, observation("ben-obs-1", "ben", "weight"));
        put(gp, observation("dan-obs-1", "dan", "weight"));
        put(gp, "{\"resourceType\":\"Condition\",\"id\":\"ada-psy\",\"meta\":{\"security\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"}]},\"subject\":{\"reference\":\"Patient/ada\"},"
                + "\"code\":{\"text\":\"anxiety\"}}");
        put(gp, "{\"resourceType\":\"Practitioner\",\"id\":\"okafor\",\"name\":[{\"family\":\"Okafor\"}]}");
        // Carl is not in the practice's care: his record is written in an emergency (break-glass).
        String emergency = token(GP, Purpose.ETREAT);
        put(emergency, patient("carl", CARL));
        put(emergency, observation("carl-obs-1", "carl", "weight"));
        // Ada withholds mental-health records from everyone.
        HttpResponse<String> consent = send("PUT", url + "api/patients/" + ADA + "/consent", token(PATIENT_ADA, Purpose.PATRQT),
                withholdMentalHealth(ADA), "application/fhir+json", Map.of());
        assertEquals(200, consent.statusCode(), consent.body());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aSystemExportHoldsOnlyThePatientsTheGatePermitsAndSaysHowManyWereLeftOut() throws Exception {
        String kickOff = url + "fhir/$export";
        long before = ledgerSize();
        HttpResponse<String> accepted = kickOff(gp, kickOff);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        assertTrue(status.startsWith(url + "fhir/$export-status/"), status);

        HttpResponse<String> done = poll(gp, status);
        assertEquals("application/json", done.headers().firstValue("Content-Type").orElse(""));
        Map<?, ?> manifest = (Map<?, ?>) CanonicalJson.parse(done.body());
        assertEquals(true, manifest.get("requiresAccessToken"));
        assertEquals(kickOff, manifest.get("request"));
        assertTrue(((String) manifest.get("transactionTime")).endsWith("Z"), done.body());
        long exportEntry = Long.parseLong(done.headers().firstValue("X-Custodian-Receipt").orElseThrow());

        Map<String, List<Resource>> exported = download(gp, manifest, "output");
        assertEquals(Set.of("Observation", "Patient", "Practitioner"), exported.keySet(),
                "no Condition: Ada's only one is a mental-health record she withholds");
        assertEquals(List.of("ada", "ben"), ids(exported.get("Patient")));
        assertEquals(List.of("ada-obs-1", "ada-obs-2", "ben-obs-1"), ids(exported.get("Observation")));
        assertEquals(List.of("okafor"), ids(exported.get("Practitioner")));
        for (Object item : (List<?>) manifest.get("output")) {
            Map<?, ?> m = (Map<?, ?>) item;
            assertEquals((long) exported.get(m.get("type")).size(), m.get("count"), "the manifest counts each file");
        }

        String notes = String.join("\n", download(gp, manifest, "error").values().stream().flatMap(List::stream)
                .map(FhirJson::encode).toList());
        assertTrue(notes.contains("The records of 2 patients were left out of this export: the gate refused them."), notes);
        assertTrue(notes.contains("statutory.care-needs-relationship"), notes);
        assertTrue(notes.contains("record.unlinked"), notes);
        assertTrue(notes.contains("For 1 patient, resources in categories the patient withholds from you are left out"), notes);

        // Every patient with records was decided for this export, permit or refusal, and the export itself is recorded.
        List<Map<?, ?>> ledger = ledger();
        for (String nhs : List.of(ADA, BEN, CARL)) {
            List<Map<?, ?>> decisions = ledger.stream().filter(e -> "access.decision".equals(e.get("type")) && nhs.equals(e.get("patient"))
                    && "fhir-export".equals(e.get("via")) && ((Long) e.get("_index")) >= before
                    && ((Long) e.get("_index")) < exportEntry).toList();
            assertEquals(1, decisions.size(), "one decision for " + nhs + " in this export: " + decisions);
            assertEquals(nhs.equals(CARL) ? "deny" : "permit", decisions.get(0).get("decision"));
            assertEquals("dr-okafor", ((Map<?, ?>) decisions.get(0).get("requester")).get("person"));
        }
        Map<?, ?> entry = ledger.stream().filter(e -> ((Long) e.get("_index")) == exportEntry).findFirst().orElseThrow();
        assertEquals("records.bulk-export", entry.get("type"));
        assertEquals(Map.of("included", 2L, "refused", 2L, "categoriesWithheld", 1L), entry.get("patients"));
        assertEquals(Map.of("Observation", 3L, "Patient", 2L, "Practitioner", 1L), entry.get("resources"));
        assertEquals("TREAT", ((Map<?, ?>) entry.get("requester")).get("purpose"));
        assertEquals(exportEntry, ((Map<?, ?>) manifest.get("extension")).get("receipt"));
    }

    @Test
    void typeAndSinceChooseWhatIsExported() throws Exception {
        HttpResponse<String> updated = put(gp, observation("ben-obs-1", "ben", "weight, repeated"));
        String since = FhirJson.parse(updated.body()).getMeta().getLastUpdatedElement().getValueAsString();
        HttpResponse<String> accepted = kickOff(gp, url + "fhir/Patient/$export?_type=Observation,Patient&_since="
                + URLEncoder.encode(since, StandardCharsets.UTF_8) + "&_outputFormat=application%2Ffhir%2Bndjson");
        assertEquals(202, accepted.statusCode(), accepted.body());
        Map<?, ?> manifest = (Map<?, ?>) CanonicalJson.parse(poll(gp, accepted.headers().firstValue("Content-Location").orElseThrow()).body());
        Map<String, List<Resource>> exported = download(gp, manifest, "output");
        assertEquals(Set.of("Observation"), exported.keySet(), "only what changed at or after _since, of the types asked for");
        assertEquals(List.of("ben-obs-1"), ids(exported.get("Observation")));

        HttpResponse<String> patients = kickOff(gp, url + "fhir/Patient/$export?_type=Patient");
        Map<String, List<Resource>> onlyPatients = download(gp,
                (Map<?, ?>) CanonicalJson.parse(poll(gp, patients.headers().firstValue("Content-Location").orElseThrow()).body()), "output");
        assertEquals(Set.of("Patient"), onlyPatients.keySet());
        assertEquals(List.of("ada", "ben"), ids(onlyPatients.get("Patient")));
    }

    @Test
    void anotherPersonCanNeitherPollNorDownloadNorDelete() throws Exception {
        HttpResponse<String> accepted = kickOff(gp, url + "fhir/$export?_type=Patient");
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        Map<?, ?> manifest = (Map<?, ?>) CanonicalJson.parse(poll(gp, status).body());
        String file = (String) ((Map<?, ?>) ((List<?>) manifest.get("output")).get(0)).get("url");

        String reception = token(RECEPTION, Purpose.TREAT);
        HttpResponse<String> poll = send("GET", status, reception, null, null, Map.of());
        assertEquals(404, poll.statusCode(), poll.body());
        assertTrue(poll.body().contains("OperationOutcome"), poll.body());
        assertEquals(404, send("GET", file, reception, null, null, Map.of()).statusCode());
        assertEquals(404, send("DELETE", status, reception, null, null, Map.of()).statusCode());
        assertEquals(401, send("GET", file, null, null, null, Map.of()).statusCode(), "the file needs a bearer token");
        assertEquals(401, send("GET", status, null, null, null, Map.of()).statusCode());

        HttpResponse<String> mine = send("GET", file, gp, null, null, Map.of());
        assertEquals(200, mine.statusCode(), "still there for its requester");
        assertEquals("application/fhir+ndjson", mine.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void deletingAnExportCancelsItAndDeletesItsFiles() throws Exception {
        HttpResponse<String> accepted = kickOff(gp, url + "fhir/$export");
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        Map<?, ?> manifest = (Map<?, ?>) CanonicalJson.parse(poll(gp, status).body());
        String file = (String) ((Map<?, ?>) ((List<?>) manifest.get("output")).get(0)).get("url");

        HttpResponse<String> deleted = send("DELETE", status, gp, null, null, Map.of());
        assertEquals(202, deleted.statusCode(), deleted.body());
        assertEquals(404, send("GET", status, gp, null, null, Map.of()).statusCode(), "the IG: 404 once deleted");
        assertEquals(404, send("GET", file, gp, null, null, Map.of()).statusCode());
        assertEquals(404, send("DELETE", status, gp, null, null, Map.of()).statusCode(), "deleted once");

    }

    @Test
    void whileAnExportRunsItsStatusSaysHowFarItIsAndADeleteStopsIt() throws Exception {
        try (Database db = Database.open(DatabaseOptions.embedded(data).withShutdownHook(false));
                var c = db.dataSource().getConnection()) {
            // Hold the export at its first file: storing one waits for this lock.
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("LOCK TABLE record_export_files IN SHARE MODE");
            }
            HttpResponse<String> accepted = kickOff(gp, url + "fhir/$export");
            String status = accepted.headers().firstValue("Content-Location").orElseThrow();
            String id = status.substring(status.lastIndexOf('/') + 1);
            HttpResponse<String> running = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                running = send("GET", status, gp, null, null, Map.of());
                assertEquals(202, running.statusCode(), running.body());
                if (running.headers().firstValue("X-Progress").orElse("").startsWith("writing")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(running.headers().firstValue("X-Progress").orElse("").startsWith("writing"), running.headers().map().toString());
            assertEquals("2", running.headers().firstValue("Retry-After").orElse(""));

            var deleting = http.sendAsync(HttpRequest.newBuilder(URI.create(status)).DELETE().header("Authorization", "Bearer " + gp).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            c.rollback();
            assertEquals(202, deleting.get().statusCode(), deleting.get().body());
            assertEquals(404, send("GET", status, gp, null, null, Map.of()).statusCode());
            c.setAutoCommit(true);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String state;
            long files;
            do {
                Thread.sleep(100);
                try (var s = c.prepareStatement("SELECT e.status, (SELECT count(*) FROM record_export_files f WHERE f.export_id = e.id)"
                        + " FROM record_exports e WHERE e.id = ?")) {
                    s.setString(1, id);
                    try (var rs = s.executeQuery()) {
                        rs.next();
                        state = rs.getString(1);
                        files = rs.getLong(2);
                    }
                }
            } while (files > 0 && System.nanoTime() < until);
            assertEquals("cancelled", state);
            assertEquals(0, files, "the stopped export's files are deleted");
        }
    }

    @Test
    void aKickOffWithoutPreferRespondAsyncOrWithWhatIsNotSupportedIsRefused() throws Exception {
        HttpResponse<String> noPrefer = send("GET", url + "fhir/$export", gp, null, null, Map.of("Accept", "application/fhir+json"));
        assertEquals(400, noPrefer.statusCode(), noPrefer.body());
        assertEquals("application/fhir+json", noPrefer.headers().firstValue("Content-Type").orElse(""));
        assertTrue(noPrefer.body().contains("\"resourceType\":\"OperationOutcome\"") && noPrefer.body().contains("respond-async"),
                noPrefer.body());

        for (String bad : List.of("fhir/$export?_outputFormat=text%2Fcsv", "fhir/$export?_type=Nonsense", "fhir/$export?_typeFilter=x",
                "fhir/$export?_since=yesterday", "fhir/Patient/$export?_type=Practitioner", "fhir/$export?_type=Patient,,Observation")) {
            HttpResponse<String> r = kickOff(gp, url + bad);
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertTrue(r.body().contains("OperationOutcome"), r.body());
        }
        assertEquals(406, send("GET", url + "fhir/$export", gp, null, null, Map.of("Prefer", "respond-async", "Accept", "text/csv"))
                .statusCode());
        assertEquals(401, kickOff(null, url + "fhir/$export").statusCode());
        assertEquals(404, send("GET", url + "fhir/$export-status/no-such-job", gp, null, null, Map.of()).statusCode());
        // Accepted output formats and Prefer with other preferences.
        assertEquals(202, send("GET", url + "fhir/$export?_type=Practitioner&_outputFormat=ndjson", gp, null, null,
                Map.of("Prefer", "handling=strict, respond-async")).statusCode());
    }

    @Test
    void theCapabilityStatementDeclaresTheExportsServed() throws Exception {
        HttpResponse<String> r = send("GET", url + "fhir/metadata", null, null, null, Map.of());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"), r.body());
        assertTrue(r.body().contains("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"));
        assertTrue(r.body().contains("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"));
        assertFalse(r.body().contains("group-export"), "Group/$export is not offered");
    }

    // ---------------------------------------------------------------- helpers

    private String token(Person who, Purpose purpose) {
        return issuer.issue(who, PRACTICE, purpose, null, Duration.ofMinutes(30)).token();
    }

    private HttpResponse<String> kickOff(String token, String kickOffUrl) throws Exception {
        return send("GET", kickOffUrl, token, null, null, Map.of("Prefer", "respond-async", "Accept", "application/fhir+json"));
    }

    /** Polls until the export is no longer in progress (checking the in-progress answers), and returns the final answer. */
    private HttpResponse<String> poll(String token, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", status, token, null, null, Map.of());
            if (r.statusCode() != 202) {
                assertEquals(200, r.statusCode(), r.body());
                return r;
            }
            assertTrue(r.headers().firstValue("X-Progress").isPresent(), "202 says how far it is");
            assertTrue(r.headers().firstValue("Retry-After").isPresent(), "202 says when to ask again");
            Thread.sleep(100);
        }
        throw new AssertionError("the export did not complete within a minute");
    }

    /** Downloads the manifest's output (or error) files with the token, by type. */
    private Map<String, List<Resource>> download(String token, Map<?, ?> manifest, String which) throws Exception {
        Map<String, List<Resource>> out = new TreeMap<>();
        for (Object item : (List<?>) manifest.get(which)) {
            Map<?, ?> m = (Map<?, ?>) item;
            HttpResponse<String> r = send("GET", (String) m.get("url"), token, null, null, Map.of("Accept", "application/fhir+ndjson"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("application/fhir+ndjson", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().endsWith("\n"), "each line ends with a newline");
            List<Resource> resources = out.computeIfAbsent((String) m.get("type"), k -> new ArrayList<>());
            for (String line : r.body().split("\n")) {
                Resource resource = FhirJson.parse(line);
                assertEquals(m.get("type"), resource.fhirType());
                resources.add(resource);
            }
        }
        return out;
    }

    private static List<String> ids(List<Resource> resources) {
        return resources.stream().map(r -> r.getIdElement().getIdPart()).sorted().toList();
    }

    private HttpResponse<String> put(String token, String json) throws Exception {
        Resource r = FhirJson.parse(json);
        HttpResponse<String> response = send("PUT", url + "fhir/" + r.fhirType() + "/" + r.getIdElement().getIdPart(), token, json,
                "application/fhir+json", Map.of());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
        return response;
    }

    private HttpResponse<String> send(String method, String target, String token, String body, String type, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Every ledger entry's content, with its index as {@code _index}, read from the server's database. */
    private List<Map<?, ?>> ledger() throws Exception {
        List<Map<?, ?>> out = new ArrayList<>();
        try (Database db = Database.open(DatabaseOptions.embedded(data).withShutdownHook(false));
                var c = db.dataSource().getConnection();
                var s = c.prepareStatement("SELECT idx, convert_from(content, 'UTF8') FROM ledger_entries WHERE content IS NOT NULL ORDER BY idx");
                var rs = s.executeQuery()) {
            while (rs.next()) {
                Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) CanonicalJson.parse(rs.getString(2)));
                m.put("_index", rs.getLong(1));
                out.add(m);
            }
        }
        return out;
    }

    /** How many entries the ledger has been given so far: entries appended from now on have this index or more. */
    private long ledgerSize() throws Exception {
        try (Database db = Database.open(DatabaseOptions.embedded(data).withShutdownHook(false));
                var c = db.dataSource().getConnection();
                var s = c.prepareStatement("SELECT coalesce(max(idx), -1) + 1 FROM ledger_entries");
                var rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String patient(String id, String nhs) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"" + (nhs == null ? ""
                : ",\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + nhs + "\"}]")
                + ",\"name\":[{\"family\":\"" + id + "\"}]}";
    }

    private static String observation(String id, String patient, String text) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"text\":\"" + text + "\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
    }

    private static String withholdMentalHealth(String nhs) {
        return "{\"resourceType\":\"Consent\",\"status\":\"active\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                + "\"patient\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + nhs + "\"}},"
                + "\"provision\":{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\",\"securityLabel\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"}]}]}}";
    }

    private static String repositoryFile(String relative) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve(relative).toFile().exists()) {
            p = p.getParent();
        }
        return p.resolve(relative).toString();
    }
}
