package org.custodian.app.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * A prescription whose medicationReference names an HIV-coded Medication, over HTTP against a
 * {@code custodian serve} process: once Ada withholds HIV from her GP, the prescription is refused on
 * read ({@code consent.categories-withheld}) and left out of searches, history and {@code $everything},
 * whether its Medication came in the same transaction or was stored (and recoded) after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestMedicationCategoriesOverHttp {
    private static final String ADA = "9434765919";
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
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

    @BeforeAll
    void start() throws Exception {
        Path data = dir.resolve("data");
        Cli.run("register", "--data", data.toString(), SharedData.locate("docs/examples/registers.json").toString()).exits(0);
        server = ServeProcess.start(data);
        base = server.url() + "fhir";
        issuer = ServeProcess.tokenIssuer(data);
        gp = issuer.issue(GP, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(30)).token();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/fhir+json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String location(HttpResponse<String> transaction, int entry) {
        Map<?, ?> response = (Map<?, ?>) CanonicalJson.parse(transaction.body());
        Map<?, ?> e = (Map<?, ?>) ((List<?>) response.get("entry")).get(entry);
        return (String) ((Map<?, ?>) e.get("response")).get("location"); // Type/id/_history/n
    }

    private static String id(HttpResponse<String> transaction, int entry) {
        return location(transaction, entry).split("/")[1];
    }

    private static List<String> matches(HttpResponse<String> searchset) {
        List<String> ids = new ArrayList<>();
        Map<?, ?> bundle = (Map<?, ?>) CanonicalJson.parse(searchset.body());
        Object entries = bundle.get("entry");
        for (Object o : entries == null ? List.of() : (List<?>) entries) {
            Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) o).get("resource");
            if (resource.get("resourceType").toString().startsWith("Medication")) {
                ids.add((String) resource.get("id"));
            }
        }
        return ids;
    }

    private static String prescription(String patient, String medication) {
        return "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"authoredOn\":\"2026-11-01\","
                + "\"medicationReference\":{\"reference\":\"" + medication + "\"},\"subject\":{\"reference\":\"" + patient + "\"}}";
    }

    @Test
    void aPrescriptionOfAnHivMedicationIsWithheldFromAClinicianThePatientWithholdsHivFrom() throws Exception {
        String patient = "urn:uuid:c0000000-0000-4000-8000-000000000001";
        String medication = "urn:uuid:c0000000-0000-4000-8000-000000000002";
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"" + patient + "\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + ADA + "\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                // The HIV code is on the Medication only: the prescription itself has none.
                + "{\"resource\":" + prescription(patient, medication) + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}},"
                + "{\"fullUrl\":\"" + medication + "\",\"resource\":{\"resourceType\":\"Medication\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://snomed.info/sct\",\"code\":\"" + HIV_CODE + "\"}],\"text\":\"antiretroviral\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Medication\"}},"
                + "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"medicationCodeableConcept\":"
                + "{\"text\":\"paracetamol\"},\"subject\":{\"reference\":\"" + patient + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}},"
                // Prescribed before its Medication is stored here; the Medication is recoded to HIV later.
                + "{\"resource\":" + prescription(patient, "Medication/later-recoded") + ",\"request\":{\"method\":\"POST\",\"url\":\"MedicationRequest\"}}]}";
        HttpResponse<String> posted = send("POST", base, gp, bundle);
        assertEquals(200, posted.statusCode(), posted.body());
        String ada = id(posted, 0);
        String hivRx = id(posted, 1);
        String plainRx = id(posted, 3);
        String laterRx = id(posted, 4);
        assertEquals(201, send("PUT", "/Medication/later-recoded", gp,
                "{\"resourceType\":\"Medication\",\"id\":\"later-recoded\",\"code\":{\"text\":\"not yet coded\"}}").statusCode());

        // Before Ada withholds anything, her GP sees all three.
        assertEquals(List.of(hivRx, plainRx, laterRx).stream().sorted().toList(),
                matches(send("GET", "/MedicationRequest?patient=" + ada, gp, null)).stream().sorted().toList());

        String consent = "{\"resourceType\":\"Consent\",\"status\":\"active\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                + "\"patient\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"" + ADA + "\"}},"
                + "\"provision\":{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\",\"securityLabel\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"HIV\"}]}]}}";
        HttpResponse<String> put = send("PUT", server.url() + "api/patients/" + ADA + "/consent",
                issuer.issue(PATIENT_ADA, PRACTICE, Purpose.PATRQT, null, Duration.ofMinutes(30)).token(), consent);
        assertEquals(200, put.statusCode(), put.body());

        // The Medication is recoded to HIV after the prescription was written.
        assertEquals(200, send("PUT", "/Medication/later-recoded", gp, "{\"resourceType\":\"Medication\",\"id\":\"later-recoded\","
                + "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"" + HIV_CODE + "\"}]}}").statusCode());

        for (String withheld : List.of(hivRx, laterRx)) {
            HttpResponse<String> read = send("GET", "/MedicationRequest/" + withheld, gp, null);
            assertEquals(403, read.statusCode(), read.body());
            assertTrue(read.body().contains("consent.categories-withheld"), read.body());
            assertTrue(read.headers().firstValue("X-Custodian-Receipt").isPresent(), "the refusal is recorded");
            assertEquals(403, send("GET", "/MedicationRequest/" + withheld + "/_history/1", gp, null).statusCode());
            HttpResponse<String> history = send("GET", "/MedicationRequest/" + withheld + "/_history", gp, null);
            assertEquals(200, history.statusCode(), history.body());
            assertEquals(List.of(), matches(history), "no version of it in its history");
        }
        HttpResponse<String> search = send("GET", "/MedicationRequest?patient=" + ada, gp, null);
        assertEquals(200, search.statusCode(), search.body());
        assertEquals(List.of(plainRx), matches(search), "only the paracetamol");
        assertFalse(search.body().contains(hivRx) || search.body().contains(laterRx), "nothing of the withheld prescriptions");
        assertTrue(search.body().contains("consent.categories-left-out"), "and the search says categories are left out");
        HttpResponse<String> everything = send("GET", "/Patient/" + ada + "/$everything?_count=100", gp, null);
        assertEquals(200, everything.statusCode(), everything.body());
        assertFalse(everything.body().contains(hivRx) || everything.body().contains(laterRx));
        assertTrue(everything.body().contains(plainRx));

        // Ada herself still sees all three.
        String own = issuer.issue(PATIENT_ADA, PRACTICE, Purpose.PATRQT, null, Duration.ofMinutes(30)).token();
        assertEquals(3, matches(send("GET", "/MedicationRequest?patient=" + ada, own, null)).size());
    }
}
