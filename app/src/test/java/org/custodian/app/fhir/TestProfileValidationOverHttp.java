package org.custodian.app.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
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
 * {@code custodian serve --validate-profiles --profiles docs/examples/profiles} as a clinical system
 * meets it: a valid resource is stored; one that is not is refused with 422 and an OperationOutcome
 * whose issues are the validator's errors, each with its location; a transaction with one such entry
 * stores nothing; a profile from the directory binds the resources that claim it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestProfileValidationOverHttp {
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ServeProcess server;
    private String base;
    private String gp;
    private String ada;

    @BeforeAll
    void start() throws Exception {
        Path data = dir.resolve("data");
        Cli.run("register", "--data", data.toString(), SharedData.locate("docs/examples/registers.json").toString()).exits(0);
        server = ServeProcess.start(data, List.of("--validate-profiles", "--profiles", SharedData.locate("docs/examples/profiles").toString()));
        base = server.url() + "fhir";
        assertTrue(server.output().contains("Profiles:  every record written is validated against FHIR R4 base definitions and 1 StructureDefinition(s)"),
                server.output());
        gp = ServeProcess.tokenIssuer(data).issue(GP, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(30)).token();
        HttpResponse<String> created = post("/Patient", "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\","
                + "\"value\":\"9434765919\"}],\"name\":[{\"family\":\"Lovelace\",\"given\":[\"Ada\"]}],\"birthDate\":\"1815-12-10\"}");
        assertEquals(201, created.statusCode(), created.body());
        ada = (String) json(created).get("id");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + gp).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private long observations() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/Observation?patient=" + ada + "&_count=0"))
                .header("Authorization", "Bearer " + gp).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return ((Number) json(r).get("total")).longValue();
    }

    private static Map<?, ?> json(HttpResponse<String> r) {
        return (Map<?, ?>) CanonicalJson.parse(r.body());
    }

    private static List<?> issues(HttpResponse<String> r) {
        Map<?, ?> outcome = json(r);
        assertEquals("OperationOutcome", outcome.get("resourceType"), r.body());
        return (List<?>) outcome.get("issue");
    }

    private String heartRate(String extra) {
        return "{\"resourceType\":\"Observation\"" + extra + ",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + ada + "\"},\"effectiveDateTime\":\"2026-11-24T09:00:00Z\","
                + "\"valueQuantity\":{\"value\":72,\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
    }

    @Test
    void aValidResourceIsStoredAndOneThatIsNotIsRefusedWithEachErrorAndItsLocation() throws Exception {
        assertEquals(201, post("/Observation", heartRate(",\"status\":\"final\"")).statusCode());
        // No status (1..1), and a dataAbsentReason beside a value (invariant obs-6).
        HttpResponse<String> refused = post("/Observation", heartRate(",\"dataAbsentReason\":{\"text\":\"not asked\"}"));
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+json"));
        List<?> issues = issues(refused);
        assertEquals(2, issues.size(), refused.body());
        Map<?, ?> status = (Map<?, ?>) issues.get(0);
        assertEquals("error", status.get("severity"));
        assertEquals("invalid", status.get("code"));
        assertEquals(List.of("Observation"), status.get("expression"));
        assertTrue(((String) status.get("diagnostics")).startsWith("Observation.status: minimum required = 1"), refused.body());
        Map<?, ?> invariant = (Map<?, ?>) issues.get(1);
        assertTrue(((String) invariant.get("diagnostics")).contains("obs-6"), refused.body());
        assertTrue(!refused.body().contains("\tat ") && !refused.body().contains("Exception"), "no stack trace: " + refused.body());
    }

    @Test
    void aTransactionWithOneEntryThatIsNotValidStoresNothing() throws Exception {
        long before = observations();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":" + heartRate(",\"status\":\"final\"") + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":" + heartRate("") + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        HttpResponse<String> refused = post("", bundle);
        assertEquals(422, refused.statusCode(), refused.body());
        Map<?, ?> issue = (Map<?, ?>) issues(refused).get(0);
        assertEquals(List.of("Bundle.entry[1].resource"), issue.get("expression"), refused.body());
        assertEquals(before, observations(), "the valid entry was not stored either");
    }

    @Test
    void aProfileFromTheDirectoryBindsThePatientsThatClaimIt() throws Exception {
        String claims = "{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"https://custodian.example/fhir/StructureDefinition/example-patient\"]},"
                + "\"name\":[{\"family\":\"Byron\"}]";
        HttpResponse<String> refused = post("/Patient", claims + "}");
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(((String) ((Map<?, ?>) issues(refused).get(0)).get("diagnostics")).startsWith("Patient.birthDate: minimum required = 1"),
                refused.body());
        assertEquals(201, post("/Patient", claims + ",\"birthDate\":\"1815-12-10\"}").statusCode());
    }
}
