package org.custodian.app.patients;

import static org.custodian.app.patients.DemoSite.find;
import static org.custodian.app.patients.DemoSite.unescape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.app.Cli;
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

    @TempDir
    static Path dir;

    private DemoSite site;

    @BeforeAll
    void start() throws Exception {
        site = DemoSite.start(dir.resolve("data"));
    }

    @AfterAll
    void stop() throws Exception {
        site.close();
    }

    private static final Project DIABETES = new Project("diabetes-outcomes", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, LocalDate.of(2027, 12, 31), "REC 25/NW/0123", null, null, List.of());

    @Test
    void aPatientSeesAClinicalReadMadeMomentsEarlierThenWithdrawsResearchAndTheNextResearchRequestIsRefusedAndListed() throws Exception {
        PageClient ada = site.client();
        ada.signIn("patient-ada");

        HttpResponse<String> read = site.api("GET", "/fhir/Patient/" + ADA_RECORD, site.token(GP, PRACTICE, Purpose.TREAT, null), null);
        assertEquals(200, read.statusCode(), read.body());
        String receipt = read.headers().firstValue("X-Custodian-Receipt").orElseThrow();

        String list = ada.get("/my/activity").body();
        assertTrue(list.contains("Ledger entry " + receipt + "."), "the clinician's read, by its receipt, is on the page at once");
        assertTrue(list.contains("Dr Ngozi Okafor, clinician") && list.contains("Riverside Medical Practice"), "who and which organisation");

        String research = "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"pseudonymised\"}";
        String researcher = site.token(RESEARCHER, UNIVERSITY, Purpose.HRESCH, DIABETES);
        assertTrue(site.api("POST", "/api/decisions", researcher, research).body().contains("\"permit\""), "research is allowed before she says no");

        HttpResponse<String> saved = ada.post("/my/choices", Map.of("csrf", ada.csrf(), "research", "no", "planning", "yes", "care", "yes"));
        assertEquals(200, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("Your choice has been recorded"), saved.body());
        assertTrue(saved.body().contains("research projects will not receive your data, even without your name on it"), "the effect, stated plainly");

        HttpResponse<String> refused = site.api("POST", "/api/decisions", researcher, research);
        assertTrue(refused.body().contains("\"deny\""), "the very next research request is refused: " + refused.body());
        String refusedIndex = find(refused.body(), "\"index\":([0-9]+)");

        String after = ada.get("/my/activity?purpose=HRESCH").body();
        assertTrue(after.contains("Ledger entry " + refusedIndex + "."), "the refusal is listed");
        assertTrue(after.contains("University of Northfield") && after.contains("Refused"), after);
        assertTrue(after.contains("diabetes-outcomes"), "the project it was asked under");
        assertTrue(unescape(after).contains("the data-sharing agreement \u201cUniversity of Northfield: research on long-term conditions\u201d"),
                "and the data-sharing agreement, by its title");
    }

    @Test
    void withoutASessionThePagesSendYouToSignInAndShowNothing() throws Exception {
        PageClient stranger = site.client();
        for (String path : new String[] {"/my", "/my/activity", "/my/choices"}) {
            HttpResponse<String> r = stranger.get(path);
            assertEquals(303, r.statusCode(), path);
            assertEquals("/sign-in", r.headers().firstValue("Location").orElseThrow());
            assertFalse(r.body().contains(ADA));
        }
    }

    @Test
    void aFormWithoutTheSessionsTokenChangesNothing() throws Exception {
        PageClient ben = site.client();
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
        PageClient ben = site.client();
        ben.signIn("patient-ben");
        String choose = ben.get("/my").body();
        assertTrue(choose.contains("Whose record"), "Ben has two records to choose from: his own and Ada's");
        assertEquals(303, ben.post("/my/acting-for", Map.of("csrf", ben.csrf(), "patient", ADA)).statusCode());
        String page = ben.get("/my/activity").body();
        assertTrue(page.contains("You are acting for <strong>Ada Lovelace</strong>"), "always shows whose record");

        PageClient ada = site.client();
        ada.signIn("patient-ada");
        HttpResponse<String> r = ada.post("/my/acting-for", Map.of("csrf", ada.csrf(), "patient", BEN));
        assertEquals(403, r.statusCode(), "Ada is not Ben's proxy");
        String adas = ada.get("/my/activity").body();
        assertTrue(adas.contains("You are looking at <strong>your own record</strong>"), "still her own record");
        assertTrue(adas.contains("Ben Lovelace, acting for you"), "and she sees that her proxy looked at her list");
    }

    @Test
    void aSignInCodeIsUsedOnceAndWrongGuessesBurnIt() throws Exception {
        PageClient b = site.client();
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
        PageClient reception = site.client();
        reception.signIn("reception-jones", "/staff");
        HttpResponse<String> bad = reception.get("/staff/patient?nhs=1234567890");
        assertEquals(400, bad.statusCode(), "an NHS number failing modulus 11 is refused with a message");
        assertTrue(bad.body().contains("Enter a valid 10-digit NHS number"));

        String page = reception.get("/staff/patient?nhs=943+476+5919").body();
        assertTrue(page.contains("You are recording choices for <strong>Ada Lovelace</strong>"), page);
        String csrf = find(page, PageClient.CSRF);
        HttpResponse<String> saved = reception.post("/staff/patient/choices", Map.of("csrf", csrf, "patient", ADA, "planning", "no"));
        assertEquals(200, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("your data will not be used to plan or improve services"), saved.body());

        PageClient ada = site.client();
        ada.signIn("patient-ada");
        String choices = ada.get("/my/choices").body();
        assertTrue(choices.contains("by Carys Jones, on your behalf (by phone or at the desk)"), choices);
        assertTrue(ada.get("/my/activity").body().contains("Carys Jones (reception), on your behalf"), "the change is in her list, by whom");
        // put it back for the other tests
        reception.post("/staff/patient/choices", Map.of("csrf", csrf, "patient", ADA, "planning", "yes"));
    }

    @Test
    void staffOfAnOrganisationNotCaringForThePatientAreRefusedAndThePatientsPagesAreNotForStaff() throws Exception {
        PageClient hospital = site.client();
        hospital.signIn("dr-patel", "/staff");
        HttpResponse<String> refused = hospital.get("/staff/patient?nhs=" + ADA);
        assertEquals(403, refused.statusCode(), "the hospital's referral ended: no care relationship");
        assertTrue(refused.body().contains("This refusal has been recorded"));
        assertFalse(refused.body().contains("Now: <strong>"), "no choices shown");

        PageClient ada = site.client();
        ada.signIn("patient-ada");
        assertEquals(403, ada.get("/staff").statusCode(), "a patient is not staff");
    }

    @Test
    void eachEntrysProofChecksOutWithTheCommandsThePageGives() throws Exception {
        PageClient ada = site.client();
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
