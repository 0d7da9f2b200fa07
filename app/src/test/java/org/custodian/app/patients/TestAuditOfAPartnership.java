package org.custodian.app.patients;

import static org.custodian.app.patients.DemoSite.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import org.custodian.ledger.entry.CanonicalJson;
import org.custodian.server.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit of one partnership against `custodian demo` while it runs: `custodian audit agreement` counts the
 * university's requests made through the real gate over HTTP (within and beyond its agreement) and the demo's own,
 * with the demo patient's research opt-out honoured and no finding; bad input is refused with a clear message, exit 1
 * and nothing written; the auditor's page shows the same report and records the viewing, while a patient and a
 * clinician are refused (403, recorded); the page is checked with axe-core at desktop width and at 320 px.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestAuditOfAPartnership {
    private static final String AGREEMENT = "dsa-univ-northfield-research";
    private static final String ADA = "9434765919";
    private static final String BEN = "9434765870";
    private static final Organisation UNIVERSITY = new Organisation("univ-northfield", "University of Northfield", Sector.PUBLIC_RESEARCH);
    private static final Person RESEARCHER = new Person("prof-nguyen", "Prof Linh Nguyen", Role.RESEARCHER, UNIVERSITY.id(), null);
    private static final Project DIABETES = new Project("diabetes-outcomes", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, LocalDate.of(2027, 12, 31), "REC 25/NW/0123", null, null, List.of());

    @RegisterExtension
    static final Browser browser = new Browser();

    @TempDir
    static Path dir;

    private DemoSite site;
    private final String from = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    private final String to = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

    @BeforeAll
    void start() throws Exception {
        site = DemoSite.start(dir.resolve("data"));
    }

    @AfterAll
    void stop() throws Exception {
        site.close();
    }

    private Cli.Result audit(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("audit", "agreement", "--data", site.data.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(Cli.Result r) {
        return (Map<String, Object>) CanonicalJson.parse(r.out());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private void research(String patient, String resource, String expect) throws Exception {
        HttpResponse<String> r = site.api("POST", "/api/decisions", site.token(RESEARCHER, UNIVERSITY, Purpose.HRESCH, DIABETES),
                "{\"patient\":\"" + patient + "\",\"resources\":[\"" + resource + "\"],\"form\":\"pseudonymised\"}");
        assertTrue(r.body().contains("\"" + expect + "\""), r.body());
    }

    @Test
    @Order(1)
    void theCommandCountsWhatWasDecidedUnderTheAgreementWhileTheServerRuns() throws Exception {
        Thread.sleep(2_500); // a checkpoint covering the demo's history
        Map<String, Object> before = json(audit(AGREEMENT, "--from", from, "--to", to, "--format", "json").exits(0));
        Map<String, Object> totalBefore = map(before.get("total"));
        assertTrue(number(totalBefore, "decisions") >= 4, "the demo's own research requests: " + before);
        assertTrue(number(map(before.get("checks")), "refusedForPatientsChoices") >= 1, "the demo patient's opt-out, honoured: " + before);

        research(ADA, "Observation", "permit");
        research(BEN, "Condition", "permit");
        research(ADA, "MedicationRequest", "deny");
        Thread.sleep(2_500); // a checkpoint covering them

        Cli.Result result = audit(AGREEMENT, "--from", from, "--to", to, "--format", "json").exits(0);
        Map<String, Object> after = json(result);
        Map<String, Object> total = map(after.get("total"));
        assertEquals(number(totalBefore, "decisions") + 3, number(total, "decisions"), after.toString());
        assertEquals(number(totalBefore, "permits") + 2, number(total, "permits"));
        assertEquals(number(totalBefore, "refusals") + 1, number(total, "refusals"));
        assertEquals(number(map(totalBefore.get("refusalReasons")), "agreement.data-exceeded") + 1,
                number(map(total.get("refusalReasons")), "agreement.data-exceeded"));
        assertEquals(List.of(), after.get("findings"), "everything the gate permitted was within the agreement and the patients' choices");
        Map<String, Object> checkpoint = map(after.get("checkpoint"));
        assertTrue(number(checkpoint, "treeSize") > number(map(before.get("checkpoint")), "treeSize"));
        assertTrue(((String) checkpoint.get("signedCheckpoint")).contains("\n\u2014 "), "the signed note: " + checkpoint);
        assertEquals(1, number(after, "earlierAudits"), "the first run is itself recorded (audit.run)");
        assertTrue(result.err().contains("recorded in ledger entry"), result.err());

        // The same audit at the same checkpoint, later: the same figures.
        Cli.Result again = audit(AGREEMENT, "--from", from, "--to", to, "--format", "json", "--checkpoint",
                Long.toString(number(checkpoint, "treeSize"))).exits(0);
        assertEquals(after.get("total"), json(again).get("total"));

        Path text = dir.resolve("audit.txt");
        audit(AGREEMENT, "--from", from, "--to", to, "--out", text.toString()).exits(0);
        String report = Files.readString(text);
        assertTrue(report.contains("Audit of agreement " + AGREEMENT) && report.contains("To reproduce") && report.contains("--checkpoint"),
                report);
        Path html = dir.resolve("audit.html");
        audit(AGREEMENT, "--from", from, "--to", to, "--format", "html", "--out", html.toString()).exits(0);
        assertTrue(Files.readString(html).contains("<h1>Audit of agreement " + AGREEMENT + "</h1>"));
    }

    @Test
    @Order(2)
    void badInputIsRefusedWithAClearMessageAndWritesNothing() {
        Path out = dir.resolve("bad.txt");
        Cli.Result unknown = audit("dsa-nobody", "--from", from, "--to", to, "--out", out.toString());
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no agreement \"dsa-nobody\"") && unknown.err().contains(AGREEMENT), unknown.toString());
        unknown.showsNoJavaInternals();

        Cli.Result backwards = audit(AGREEMENT, "--from", "2026-09-30", "--to", "2026-09-01", "--out", out.toString());
        assertEquals(1, backwards.exitCode(), backwards.toString());
        assertTrue(backwards.err().contains("--to 2026-09-01 is before --from 2026-09-30"), backwards.toString());

        Cli.Result notADate = audit(AGREEMENT, "--from", "2026-02-30", "--to", "2026-03-31", "--out", out.toString());
        assertEquals(1, notADate.exitCode(), notADate.toString());
        assertTrue(notADate.err().contains("--from \"2026-02-30\" is not a date"), notADate.toString());
        notADate.showsNoJavaInternals();
        assertFalse(Files.exists(out), "nothing written");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial file left");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(3)
    void theAuditorSeesTheReportAndTheViewingIsRecordedWhileAPatientAndAClinicianAreRefused() throws Exception {
        PageClient auditor = site.client();
        auditor.signIn("auditor-brown", "/audit");
        HttpResponse<String> form = auditor.get("/audit");
        assertEquals(200, form.statusCode(), form.body());
        assertTrue(form.body().contains("value=\"" + AGREEMENT + "\""), form.body());
        HttpResponse<String> page = auditor.get("/audit?agreement=" + AGREEMENT + "&from=" + from + "&to=" + to);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("Audit of agreement " + AGREEMENT), page.body());
        String receipt = find(page.body(), "This audit is recorded in ledger entry ([0-9]+)");
        assertTrue(Long.parseLong(receipt) > 0);
        assertTrue(page.body().contains("No findings"), page.body());
        HttpResponse<String> bad = auditor.get("/audit?agreement=" + AGREEMENT + "&from=2026-11-31&to=" + to);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("Enter the first day as a real date"), bad.body());

        PageClient patient = site.client();
        patient.signIn("patient-ada");
        HttpResponse<String> refused = patient.get("/audit?agreement=" + AGREEMENT + "&from=" + from + "&to=" + to);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("This refusal has been recorded (ledger entry"), refused.body());
        assertFalse(refused.body().contains("Decisions by month"));

        PageClient clinician = site.client();
        clinician.signIn("dr-okafor", "/staff");
        HttpResponse<String> alsoRefused = clinician.get("/audit");
        assertEquals(403, alsoRefused.statusCode(), alsoRefused.body());
        assertTrue(alsoRefused.body().contains("This refusal has been recorded (ledger entry"), alsoRefused.body());

        assertEquals(303, site.client().get("/audit").statusCode(), "not signed in: to the sign-in page");
    }

    @Test
    @Order(4)
    void theAuditorsPageIsAccessibleAtBothWidths() {
        browser.driver().manage().deleteAllCookies();
        browser.open(site.base + "sign-in");
        browser.find("input[name=person][value=auditor-brown]").click();
        String code = browser.clickThen("form[action='/sign-in/demo'] button", "#demo-code").getText();
        browser.find("#code").sendKeys(code);
        assertEquals("Audit a data-sharing agreement", browser.clickThen("form[action='/sign-in/code'] button", "h1").getText());
        browser.checkAtBothWidths("31-audit-form");
        browser.find("#agreement option[value='" + AGREEMENT + "']").click();
        browser.find("#from").clear();
        browser.find("#from").sendKeys(from);
        browser.find("#to").clear();
        browser.find("#to").sendKeys(to);
        String summary = browser.clickThen("form[action='/audit'] button", "#audit-summary").getText();
        assertTrue(summary.contains("under agreement " + AGREEMENT), summary);
        browser.checkAtBothWidths("32-audit-report");
        browser.find("#from").clear();
        browser.find("#from").sendKeys("not a date");
        assertTrue(browser.clickThen("form[action='/audit'] button", ".error-summary").getText().contains("Enter the first day"));
        browser.checkAtBothWidths("33-audit-error");
        // The ledger's entries, in full, as only an auditor may read them.
        assertTrue(browser.clickThen("a[href='/audit/entries']", "h1").getText().startsWith("Ledger entries "));
        browser.checkAtBothWidths("34-audit-entries");
        browser.open(site.base + "audit/entries/2");
        assertEquals("Ledger entry 2", browser.find("h1").getText());
        browser.checkAtBothWidths("35-audit-entry");
    }
}
