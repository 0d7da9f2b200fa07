package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.custodian.app.Cli;
import org.custodian.app.ServeProcess;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The patients' pages over HTTP against `custodian demo`, as a browser without JavaScript uses them:
 * sign in with the demonstration's one-time code, see an access a clinician made moments earlier
 * through the FHIR API, withdraw research consent and see the very next research request refused and
 * listed. And what must not happen: pages without a session, forms without the session's CSRF token,
 * acting on a record one has no authority over, guessing codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPatientPagesOverHttp {
    private static final String ADA = "9434765919";
    private static final String BEN = "9434765870";
    private static final String ADA_RECORD = "d0000000-0000-4000-8000-00000000a000";
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Organisation UNIVERSITY = new Organisation("univ-northfield", "University of Northfield", Sector.PUBLIC_RESEARCH);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
    private static final Person RESEARCHER = new Person("prof-nguyen", "Prof Linh Nguyen", Role.RESEARCHER, UNIVERSITY.id(), null);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path dir;

    private ServeProcess demo;
    private String base;
    private TokenIssuer issuer;

    @BeforeAll
    void start() throws Exception {
        Path data = dir.resolve("data");
        demo = ServeProcess.startDemo(data);
        base = demo.url();
        demo.awaitOutput("Demo records:");
        issuer = new TokenIssuer(TokenKeys.loadOrCreate(data.resolve("keys"), () -> {
            throw new AssertionError("the server creates the token key");
        }), Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        demo.close();
    }

    /** A browser: its own cookies, redirects not followed (so they can be checked). */
    private final class Browser {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The demonstration's sign-in: choose the person, read the code the page shows, type it in. */
        void signIn(String personId) throws Exception {
            signIn(personId, "/my");
        }

        void signIn(String personId, String landing) throws Exception {
            HttpResponse<String> code = post("/sign-in/demo", Map.of("person", personId));
            assertEquals(200, code.statusCode(), code.body());
            HttpResponse<String> done = post("/sign-in/code", Map.of("attempt", find(code.body(), "name=\"attempt\" value=\"([^\"]+)\""),
                    "code", find(code.body(), "id=\"demo-code\">([0-9]{6})<")));
            assertEquals(303, done.statusCode(), done.body());
            assertEquals(landing, done.headers().firstValue("Location").orElseThrow());
        }

        String csrf() throws Exception {
            return find(get("/my").body(), CSRF.pattern());
        }
    }

    /** HTML's escapes as jte writes them, undone. */
    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", "\"").replace("&#39;", "'").replace("&quot;", "\"")
                .replace("&amp;", "&");
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in:\n" + text);
        return m.group(1);
    }

    private static final Project DIABETES = new Project("diabetes-outcomes", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, java.time.LocalDate.of(2027, 12, 31), "REC 25/NW/0123");

    private String token(Person who, Organisation org, Purpose purpose, Project project) {
        return issuer.issue(who, org, purpose, project, Duration.ofMinutes(30)).token();
    }

    private HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPatientSeesAClinicalReadMadeMomentsEarlierThenWithdrawsResearchAndTheNextResearchRequestIsRefusedAndListed() throws Exception {
        Browser ada = new Browser();
        ada.signIn("patient-ada");

        HttpResponse<String> read = api("GET", "/fhir/Patient/" + ADA_RECORD, token(GP, PRACTICE, Purpose.TREAT, null), null);
        assertEquals(200, read.statusCode(), read.body());
        String receipt = read.headers().firstValue("X-Custodian-Receipt").orElseThrow();

        String list = ada.get("/my/activity").body();
        assertTrue(list.contains("Ledger entry " + receipt + "."), "the clinician's read, by its receipt, is on the page at once");
        assertTrue(list.contains("Dr Ngozi Okafor, clinician") && list.contains("Riverside Medical Practice"), "who and which organisation");

        String research = "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"pseudonymised\"}";
        String researcher = token(RESEARCHER, UNIVERSITY, Purpose.HRESCH, DIABETES);
        assertTrue(api("POST", "/api/decisions", researcher, research).body().contains("\"permit\""), "research is allowed before she says no");

        HttpResponse<String> saved = ada.post("/my/choices", Map.of("csrf", ada.csrf(), "research", "no", "planning", "yes", "care", "yes"));
        assertEquals(200, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("Your choice has been recorded"), saved.body());
        assertTrue(saved.body().contains("research projects will not receive your data, even without your name on it"), "the effect, stated plainly");

        HttpResponse<String> refused = api("POST", "/api/decisions", researcher, research);
        assertTrue(refused.body().contains("\"deny\""), "the very next research request is refused: " + refused.body());
        String refusedIndex = find(refused.body(), "\"index\":([0-9]+)");

        String after = ada.get("/my/activity?purpose=HRESCH").body();
        assertTrue(after.contains("Ledger entry " + refusedIndex + "."), "the refusal is listed");
        assertTrue(after.contains("University of Northfield") && after.contains("Refused"), after);
        assertTrue(after.contains("diabetes-outcomes"), "the project it was asked under");
    }

    @Test
    void withoutASessionThePagesSendYouToSignInAndShowNothing() throws Exception {
        Browser stranger = new Browser();
        for (String path : new String[] {"/my", "/my/activity", "/my/choices"}) {
            HttpResponse<String> r = stranger.get(path);
            assertEquals(303, r.statusCode(), path);
            assertEquals("/sign-in", r.headers().firstValue("Location").orElseThrow());
            assertFalse(r.body().contains(ADA));
        }
    }

    @Test
    void aFormWithoutTheSessionsTokenChangesNothing() throws Exception {
        Browser ben = new Browser();
        ben.signIn("patient-ben");
        ben.post("/my/acting-for", Map.of("csrf", ben.csrf(), "patient", BEN));
        String before = ben.get("/my/choices").body();
        HttpResponse<String> forged = ben.post("/my/choices", Map.of("csrf", "forged", "planning", "no"));
        assertEquals(403, forged.statusCode());
        assertEquals(before.contains("Now: <strong>No</strong>"), ben.get("/my/choices").body().contains("Now: <strong>No</strong>"),
                "nothing changed");
    }

    @Test
    void aProxyActsOnlyForThoseTheyAreRegisteredForAndThePageSaysWhose() throws Exception {
        Browser ben = new Browser();
        ben.signIn("patient-ben");
        String choose = ben.get("/my").body();
        assertTrue(choose.contains("Whose record"), "Ben has two records to choose from: his own and Ada's");
        assertEquals(303, ben.post("/my/acting-for", Map.of("csrf", ben.csrf(), "patient", ADA)).statusCode());
        String page = ben.get("/my/activity").body();
        assertTrue(page.contains("You are acting for <strong>Ada Lovelace</strong>"), "always shows whose record");

        Browser ada = new Browser();
        ada.signIn("patient-ada");
        HttpResponse<String> r = ada.post("/my/acting-for", Map.of("csrf", ada.csrf(), "patient", BEN));
        assertEquals(403, r.statusCode(), "Ada is not Ben's proxy");
        String adas = ada.get("/my/activity").body();
        assertTrue(adas.contains("You are looking at <strong>your own record</strong>"), "still her own record");
        assertTrue(adas.contains("Ben Lovelace, acting for you"), "and she sees that her proxy looked at her list");
    }

    @Test
    void aSignInCodeIsUsedOnceAndWrongGuessesBurnIt() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> code = b.post("/sign-in/demo", Map.of("person", "patient-ada"));
        String attempt = find(code.body(), "name=\"attempt\" value=\"([^\"]+)\"");
        String right = find(code.body(), "id=\"demo-code\">([0-9]{6})<");
        String wrong = right.equals("000000") ? "111111" : "000000";
        Map<String, String> guess = new LinkedHashMap<>(Map.of("attempt", attempt, "code", wrong));
        for (int i = 0; i < 3; i++) {
            assertEquals(400, b.post("/sign-in/code", guess).statusCode());
        }
        assertEquals(400, b.post("/sign-in/code", Map.of("attempt", attempt, "code", right)).statusCode(),
                "after three wrong guesses even the right code is refused");
        assertEquals(303, b.get("/my").statusCode(), "and no session was made");
    }

    @Test
    void receptionStaffRecordAPatientsChoiceOnTheirBehalfAndThePatientSeesWhoDidIt() throws Exception {
        Browser reception = new Browser();
        reception.signIn("reception-jones", "/staff");
        HttpResponse<String> bad = reception.get("/staff/patient?nhs=1234567890");
        assertEquals(400, bad.statusCode(), "an NHS number failing modulus 11 is refused with a message");
        assertTrue(bad.body().contains("Enter a valid 10-digit NHS number"));

        String page = reception.get("/staff/patient?nhs=943+476+5919").body();
        assertTrue(page.contains("You are recording choices for <strong>Ada Lovelace</strong>"), page);
        String csrf = find(page, CSRF.pattern());
        HttpResponse<String> saved = reception.post("/staff/patient/choices", Map.of("csrf", csrf, "patient", ADA, "planning", "no"));
        assertEquals(200, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("your data will not be used to plan or improve services"), saved.body());

        Browser ada = new Browser();
        ada.signIn("patient-ada");
        String choices = ada.get("/my/choices").body();
        assertTrue(choices.contains("by Carys Jones, on your behalf (by phone or at the desk)"), choices);
        assertTrue(ada.get("/my/activity").body().contains("Carys Jones (reception), on your behalf"), "the change is in her list, by whom");
        // put it back for the other tests
        reception.post("/staff/patient/choices", Map.of("csrf", csrf, "patient", ADA, "planning", "yes"));
    }

    @Test
    void staffOfAnOrganisationNotCaringForThePatientAreRefusedAndThePatientsPagesAreNotForStaff() throws Exception {
        Browser hospital = new Browser();
        hospital.signIn("dr-patel", "/staff");
        HttpResponse<String> refused = hospital.get("/staff/patient?nhs=" + ADA);
        assertEquals(403, refused.statusCode(), "the hospital's referral ended: no care relationship");
        assertTrue(refused.body().contains("This refusal has been recorded"));
        assertFalse(refused.body().contains("Now: <strong>"), "no choices shown");

        Browser ada = new Browser();
        ada.signIn("patient-ada");
        assertEquals(403, ada.get("/staff").statusCode(), "a patient is not staff");
    }

    @Test
    void eachEntrysProofChecksOutWithTheCommandsThePageGives() throws Exception {
        Browser ada = new Browser();
        ada.signIn("patient-ada");
        String list = ada.get("/my/activity").body();
        String index = find(list, "href=\"/my/activity/proof/([0-9]+)\"");
        String page = "";
        for (int i = 0; i < 50 && !page.contains("verify-inclusion"); i++) {
            page = ada.get("/my/activity/proof/" + index).body();
            Thread.sleep(200); // until a checkpoint covers the entry (at least once a second)
        }
        String command = unescape(find(page, "<pre>custodian (tlog verify-inclusion [^<]+)</pre>"));
        Cli.run(command.split(" ")).exits(0);

        String checkpoint = unescape(find(page, "<pre id=\"checkpoint\">([^<]+)</pre>"));
        Path file = dir.resolve("checkpoint.txt");
        java.nio.file.Files.writeString(file, checkpoint);
        String key = find(page, "verify-note --key '([^']+)'");
        Cli.run("tlog", "verify-note", "--key", key, file.toString()).exits(0);

        assertEquals(404, ada.get("/my/activity/proof/0").statusCode(), "an entry not in her list has no proof page for her");
    }
}
