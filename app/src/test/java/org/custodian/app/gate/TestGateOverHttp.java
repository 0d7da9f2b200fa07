package org.custodian.app.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
import org.custodian.app.cli.LogKeys;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.identity.TokenKeys;
import org.custodian.core.registers.NhsNumber;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.ProofVerifier;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate over HTTP, as clinical systems and patients use it: two server processes on one data
 * directory (one database), the example registers, tokens from the deployment's key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestGateOverHttp {
    private static final String ADA = "9434765919";

    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Organisation UNIVERSITY = new Organisation("univ-northfield", "University of Northfield", Sector.PUBLIC_RESEARCH);
    private static final Organisation COMPANY = new Organisation("acme-analytics", "Acme Health Analytics Ltd", Sector.PRIVATE_COMPANY);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
    private static final Person RECEPTION = new Person("reception-jones", "Carys Jones", Role.RECEPTION, PRACTICE.id(), null);
    private static final Person RESEARCHER = new Person("prof-nguyen", "Prof Linh Nguyen", Role.RESEARCHER, UNIVERSITY.id(), null);
    private static final Person COMPANY_ANALYST = new Person("analyst-smith", "Sam Smith", Role.ANALYST, COMPANY.id(), null);
    private static final Person PATIENT_ADA = new Person("patient-ada", "Ada Lovelace", Role.PATIENT, PRACTICE.id(), new NhsNumber(ADA));
    private static final Person PATIENT_BEN = new Person("patient-ben", "Ben Lovelace", Role.PATIENT, PRACTICE.id(), new NhsNumber("9434765870"));
    private static final Project STUDY = new Project("diabetes-outcomes", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, LocalDate.of(2027, 12, 31), "REC 25/NW/0123", null, null, List.of());

    @TempDir
    static Path dir;

    private final List<ServeProcess> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String serverA;
    private String serverB;
    private TokenIssuer issuer;
    private TokenKeys keys;
    private Path data;

    @BeforeAll
    void startTwoServersOnOneDatabase() throws Exception {
        data = dir.resolve("data");
        Cli.run("register", "--data", data.toString(), repositoryFile("docs/examples/registers.json")).exits(0);
        // A company's research project, approved by mistake: the statutory rule must still refuse it.
        Path extra = dir.resolve("company-project.json");
        java.nio.file.Files.writeString(extra, "{\"projects\":[{\"id\":\"acme-study\",\"organisation\":\"acme-analytics\","
                + "\"purpose\":\"HRESCH\",\"form\":\"pseudonymised\",\"status\":\"approved\",\"approvedUntil\":\"2027-12-31\","
                + "\"ethicsReference\":\"REC 26/XX/0001\"}]}");
        Cli.run("register", "--data", data.toString(), extra.toString()).exits(0);
        serverA = start();
        serverB = start();
        keys = TokenKeys.loadOrCreate(data.resolve("keys"), () -> {
            throw new AssertionError("the server creates the token key");
        });
        issuer = new TokenIssuer(keys, Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        for (ServeProcess server : servers) {
            server.close();
        }
    }

    private String start() throws Exception {
        ServeProcess server = ServeProcess.start(data);
        servers.add(server);
        return server.url();
    }

    private static String repositoryFile(String relative) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve(relative).toFile().exists()) {
            p = p.getParent();
        }
        return p.resolve(relative).toString();
    }

    private String token(Person who, Organisation org, Purpose purpose, Project project) {
        return issuer.issue(who, org, purpose, project, Duration.ofMinutes(10)).token();
    }

    private HttpResponse<String> send(String method, String url, String token, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> decide(String server, String token, String body) throws Exception {
        return send("POST", server + "api/decisions", token, body, "application/json");
    }

    private static Map<?, ?> json(HttpResponse<String> r) {
        return (Map<?, ?>) CanonicalJson.parse(r.body());
    }

    private static String researchOptOut(String nhs) {
        return "{\"resourceType\":\"Consent\",\"status\":\"active\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                + "\"patient\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + nhs + "\"}},"
                + "\"provision\":{\"type\":\"deny\",\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",\"code\":\"HRESCH\"}]}}";
    }

    private static String nothingRefused(String nhs) {
        return "{\"resourceType\":\"Consent\",\"status\":\"active\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                + "\"patient\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + nhs + "\"}},"
                + "\"provision\":{\"type\":\"permit\"}}";
    }

    @Test
    void aGpWithACareRelationshipIsPermittedWithAReceiptThatVerifiesAgainstTheLogKey() throws Exception {
        HttpResponse<String> r = decide(serverA, token(GP, PRACTICE, Purpose.TREAT, null),
                "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"identifiable\"}");
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> body = json(r);
        assertEquals("permit", body.get("decision"));
        Map<?, ?> receipt = (Map<?, ?>) body.get("receipt");
        long index = (Long) receipt.get("index");
        // Once in a checkpoint, anyone can verify the receipt with the log's key alone.
        HttpResponse<String> proof = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            proof = send("GET", serverB + "api/receipts/" + index, null, null, null);
            if (proof.statusCode() == 200) {
                break;
            }
            assertEquals(404, proof.statusCode(), proof.body());
            Thread.sleep(200);
        }
        assertEquals(200, proof.statusCode(), proof.body());
        Map<?, ?> p = json(proof);
        assertEquals(receipt.get("leafHash"), p.get("leafHash"));
        NoteVerifier key = LogKeys.load(data.resolve("keys")).verifier();
        Note note = Note.open((String) p.get("checkpoint"), List.of(key)).note();
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        assertEquals(p.get("treeSize"), checkpoint.size());
        List<byte[]> path = new ArrayList<>();
        for (Object h : (List<?>) p.get("proof")) {
            path.add(Hashes.unhex((String) h));
        }
        ProofVerifier.verifyInclusion(Hashes.unhex((String) p.get("leafHash")), index, checkpoint.size(), path, checkpoint.rootHash());
    }

    @Test
    void researchOptOutThroughOneServerGovernsTheOtherServersNextDecision() throws Exception {
        String research = token(RESEARCHER, UNIVERSITY, Purpose.HRESCH, STUDY);
        String body = "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"pseudonymised\"}";
        assertEquals("permit", json(decide(serverB, research, body)).get("decision"));

        String ada = token(PATIENT_ADA, PRACTICE, Purpose.PATRQT, null);
        HttpResponse<String> put = send("PUT", serverA + "api/patients/" + ADA + "/consent", ada, researchOptOut(ADA), "application/fhir+json");
        assertEquals(200, put.statusCode(), put.body());
        long changed = System.nanoTime();
        // The other process refuses within one second (normally its very next decision).
        String decision;
        do {
            decision = (String) json(decide(serverB, research, body)).get("decision");
        } while (!"deny".equals(decision) && System.nanoTime() - changed < Duration.ofSeconds(1).toNanos());
        assertEquals("deny", decision, "server B still permitted research a second after the opt-out");
        Map<?, ?> refused = json(decide(serverB, research, body));
        assertTrue(((List<?>) refused.get("reasons")).stream().anyMatch(x -> "consent.research-opt-out".equals(((Map<?, ?>) x).get("code"))));
        // The aggregate form is covered too.
        assertEquals("deny", json(decide(serverA, research, "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"aggregate\"}"))
                .get("decision"));

        // Staff at the desk record the patient's change of mind on her behalf.
        String desk = token(RECEPTION, PRACTICE, Purpose.TREAT, null);
        HttpResponse<String> back = send("PUT", serverB + "api/patients/" + ADA + "/consent", desk, nothingRefused(ADA), "application/fhir+json");
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(back.body().contains("reception-jones"), "who recorded it on the patient's behalf is shown: " + back.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        do {
            decision = (String) json(decide(serverA, research, body)).get("decision");
        } while (!"permit".equals(decision) && System.nanoTime() < deadline);
        assertEquals("permit", decision);
    }

    @Test
    void aPrivateCompanyIsRefusedAndOnePatientCannotChangeAnothersChoices() throws Exception {
        Project companyStudy = new Project("acme-study", COMPANY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
                Project.Status.APPROVED, null, LocalDate.of(2027, 12, 31), "REC 26/XX/0001", null, null, List.of());
        HttpResponse<String> r = decide(serverA, token(COMPANY_ANALYST, COMPANY, Purpose.HRESCH, companyStudy),
                "{\"patient\":\"" + ADA + "\",\"form\":\"pseudonymised\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("deny", json(r).get("decision"));
        assertTrue(r.body().contains("statutory.no-private-secondary-use"), r.body());
        HttpResponse<String> notHers = send("PUT", serverA + "api/patients/" + ADA + "/consent",
                token(PATIENT_BEN, PRACTICE, Purpose.PATRQT, null), researchOptOut(ADA), "application/fhir+json");
        assertEquals(403, notHers.statusCode(), notHers.body());
        assertEquals("application/problem+json", notHers.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void badRequestsGetClearProblemsAndChangeNothing() throws Exception {
        String gp = token(GP, PRACTICE, Purpose.TREAT, null);
        HttpResponse<String> badNumber = decide(serverA, gp, "{\"patient\":\"1234567890\",\"form\":\"identifiable\"}");
        assertEquals(400, badNumber.statusCode());
        assertTrue(json(badNumber).get("detail").toString().contains("NHS number"), badNumber.body());
        assertEquals(400, decide(serverA, gp, "{\"patient\":\"" + ADA + "\",\"form\":\"secret\"}").statusCode());
        assertEquals(400, decide(serverA, gp, "{\"patient\":\"" + ADA + "\",\"form\":\"identifiable\",\"extra\":1}").statusCode());
        assertEquals(400, decide(serverA, gp, "not json").statusCode());

        HttpResponse<String> noToken = decide(serverA, null, "{\"patient\":\"" + ADA + "\",\"form\":\"identifiable\"}");
        assertEquals(401, noToken.statusCode());
        assertTrue(noToken.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        // A token signed by someone else's key: refused, and the refusal is recorded (the patient is identifiable).
        TokenIssuer forger = new TokenIssuer(TokenKeys.generate(keys.identifier()), Clock.systemUTC());
        HttpResponse<String> forged = decide(serverA, forger.issue(GP, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(5)).token(),
                "{\"patient\":\"" + ADA + "\",\"form\":\"identifiable\"}");
        assertEquals(401, forged.statusCode(), forged.body());
        assertTrue(forged.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        assertTrue(refusalsRecordedFor(ADA).stream().anyMatch(r -> r.contains("\"reason\":\"token.bad-signature\"")),
                "the forged attempt on Ada's record is itself in the ledger: " + refusalsRecordedFor(ADA));

        // A token for another audience (another deployment): refused.
        TokenIssuer elsewhere = new TokenIssuer(TokenKeys.generate("elsewhere.example/custodian"), Clock.systemUTC());
        assertEquals(401, decide(serverA, elsewhere.issue(GP, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(5)).token(),
                "{\"patient\":\"" + ADA + "\",\"form\":\"identifiable\"}").statusCode());

        // A research token used for another project: 403 insufficient_scope.
        HttpResponse<String> otherProject = decide(serverA, token(RESEARCHER, UNIVERSITY, Purpose.HRESCH, STUDY),
                "{\"patient\":\"" + ADA + "\",\"form\":\"pseudonymised\",\"project\":\"someone-elses\"}");
        assertEquals(403, otherProject.statusCode(), otherProject.body());

        HttpResponse<String> receipt = send("GET", serverA + "api/receipts/not-a-number", null, null, null);
        assertEquals(400, receipt.statusCode());
        assertEquals(404, send("GET", serverA + "api/receipts/999999999", null, null, null).statusCode());
    }

    @Test
    void aBreakGlassAccessIsFlaggedAndQueuedForItsOrganisationsCaldicottGuardian() throws Exception {
        Organisation hospital = new Organisation("RX101", "Northfield General Hospital NHS Trust", Sector.NHS_CARE);
        Person doctor = new Person("dr-patel", "Dr Ravi Patel", Role.CLINICIAN, hospital.id(), null);
        Person guardian = new Person("cg-lee", "Dr Min Lee", Role.CALDICOTT_GUARDIAN, hospital.id(), null);
        // The hospital's referral for Ada ended in July: treatment is refused, an emergency is break-glass.
        String body = "{\"patient\":\"" + ADA + "\",\"form\":\"identifiable\"}";
        assertEquals("deny", json(decide(serverA, token(doctor, hospital, Purpose.TREAT, null), body)).get("decision"));
        Map<?, ?> emergency = json(decide(serverA, token(doctor, hospital, Purpose.ETREAT, null), body));
        assertEquals("permit", emergency.get("decision"));
        assertEquals(true, emergency.get("breakGlass"));
        long index = (Long) ((Map<?, ?>) emergency.get("receipt")).get("index");

        String cg = token(guardian, hospital, Purpose.TREAT, null);
        HttpResponse<String> queue = send("GET", serverB + "api/break-glass", cg, null, null);
        assertEquals(200, queue.statusCode(), queue.body());
        assertTrue(queue.body().contains("\"decision\":" + index), queue.body());
        assertEquals(403, send("GET", serverB + "api/break-glass", token(GP, PRACTICE, Purpose.TREAT, null), null, null).statusCode(),
                "only a Caldicott Guardian sees the queue");
        String review = "{\"outcome\":\"justified\",\"note\":\"patient unconscious in A&E\"}";
        HttpResponse<String> reviewed = send("POST", serverB + "api/break-glass/" + index + "/review", cg, review, "application/json");
        assertEquals(200, reviewed.statusCode(), reviewed.body());
        assertTrue(reviewed.body().contains("\"reviewedBy\":\"cg-lee\""), reviewed.body());
        assertEquals(409, send("POST", serverB + "api/break-glass/" + index + "/review", cg, review, "application/json").statusCode(),
                "reviewed once");
        assertFalse(send("GET", serverA + "api/break-glass", cg, null, null).body().contains("\"decision\":" + index + ","));
    }

    @Test
    void whenTheLedgerCannotRecordTheAnswerIsDenyAndNothingElse() throws Exception {
        String gp = token(GP, PRACTICE, Purpose.TREAT, null);
        String body = "{\"patient\":\"" + ADA + "\",\"form\":\"identifiable\"}";
        assertEquals("permit", json(decide(serverA, gp, body)).get("decision"));
        // Break the ledger's storage under the running servers (the embedded PostgreSQL is shared).
        try (org.custodian.app.database.Database db = org.custodian.app.database.Database.open(
                org.custodian.app.database.DatabaseOptions.embedded(data).withShutdownHook(false))) {
            sql(db, "ALTER TABLE ledger_entries ADD CONSTRAINT broken_for_test CHECK (idx < 0) NOT VALID");
            try {
                HttpResponse<String> refused = decide(serverA, gp, body);
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("deny", json(refused).get("decision"));
                assertFalse(refused.body().contains("receipt"), "no receipt: nothing was recorded");
                assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            } finally {
                sql(db, "ALTER TABLE ledger_entries DROP CONSTRAINT broken_for_test");
            }
        }
        assertEquals("permit", json(decide(serverA, gp, body)).get("decision"), "recovers once the ledger records again");
    }

    /** The contents of the ledger's access.refused entries about this patient. */
    private List<String> refusalsRecordedFor(String nhs) throws Exception {
        List<String> found = new ArrayList<>();
        try (org.custodian.app.database.Database db = org.custodian.app.database.Database.open(
                org.custodian.app.database.DatabaseOptions.embedded(data).withShutdownHook(false));
                var c = db.dataSource().getConnection();
                var s = c.prepareStatement("SELECT convert_from(content, 'UTF8') FROM ledger_entries WHERE content IS NOT NULL")) {
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    String content = rs.getString(1);
                    if (content.contains("\"type\":\"access.refused\"") && content.contains("\"patient\":\"" + nhs + "\"")) {
                        found.add(content);
                    }
                }
            }
        }
        return found;
    }

    private static void sql(org.custodian.app.database.Database db, String sql) throws Exception {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void theRulesInForceArePublic() throws Exception {
        HttpResponse<String> r = send("GET", serverA + "api/rules", null, null, null);
        assertEquals(200, r.statusCode());
        Map<?, ?> rules = json(r);
        assertEquals(7, ((List<?>) rules.get("statutory")).size());
        assertTrue(r.body().contains("statutory.no-private-secondary-use"));
        assertTrue(r.body().contains("public-interest-research"));
        assertFalse(r.body().contains("Exception"));
    }
}
