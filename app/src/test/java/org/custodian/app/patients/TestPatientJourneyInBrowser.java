package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.Project;
import org.custodian.core.registers.Role;
import org.custodian.core.registers.Sector;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
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
import org.openqa.selenium.By;

/**
 * Issue 5's journey in a real headless Chromium against `custodian demo`: a patient signs in and sees
 * an access made moments earlier by a clinician through the FHIR API; withdraws research consent; a
 * research request made right after is refused and appears in the list. Every page is checked with
 * axe-core (no serious or critical violation) at desktop width and at 320 px (no sideways scrolling),
 * and saved as a screenshot under app/target/screenshots/ for review.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestPatientJourneyInBrowser {
    private static final String ADA = "9434765919";
    private static final String ADA_RECORD = "d0000000-0000-4000-8000-00000000a000";
    private static final Organisation PRACTICE = new Organisation("A99001", "Riverside Medical Practice", Sector.NHS_CARE);
    private static final Organisation UNIVERSITY = new Organisation("univ-northfield", "University of Northfield", Sector.PUBLIC_RESEARCH);
    private static final Person GP = new Person("dr-okafor", "Dr Ngozi Okafor", Role.CLINICIAN, PRACTICE.id(), null);
    private static final Person RESEARCHER = new Person("prof-nguyen", "Prof Linh Nguyen", Role.RESEARCHER, UNIVERSITY.id(), null);
    private static final Project DIABETES = new Project("diabetes-outcomes", UNIVERSITY.id(), Purpose.HRESCH, DataForm.PSEUDONYMISED,
            Project.Status.APPROVED, null, LocalDate.of(2027, 12, 31), "REC 25/NW/0123", null, null, List.of());

    @RegisterExtension
    static final Browser browser = new Browser();

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

    private void signIn(String personId) {
        browser.open(site.base + "sign-in");
        browser.find("input[name=person][value=" + personId + "]").click();
        String code = browser.clickThen("form[action='/sign-in/demo'] button", "#demo-code").getText();
        browser.find("#code").sendKeys(code);
        browser.clickThen("form[action='/sign-in/code'] button", "main h1");
    }

    @Test
    @Order(1)
    void signInPagesAreAccessible() {
        browser.driver().manage().deleteAllCookies();
        browser.open(site.base + "sign-in");
        assertEquals("Sign in to see who used your data", browser.find("h1").getText());
        browser.checkAtBothWidths("01-sign-in");
        browser.find("input[name=person][value=patient-ada]").click();
        assertTrue(browser.clickThen("form[action='/sign-in/demo'] button", ".demo").getText().contains("Demonstration only"), "the demo's code is labelled as such");
        browser.checkAtBothWidths("02-code");
    }

    @Test
    @Order(2)
    void aPatientSeesAClinicalReadWithdrawsResearchAndSeesTheNextResearchRequestRefused() throws Exception {
        browser.driver().manage().deleteAllCookies();
        signIn("patient-ada");
        assertTrue(browser.driver().getCurrentUrl().endsWith("/my"), browser.driver().getCurrentUrl());
        browser.checkAtBothWidths("03-home");

        String record = browser.clickThen("main a[href='/my/record']", "main h2").findElement(By.xpath("ancestor::main")).getText();
        assertTrue(record.contains("Asthma") && record.contains("Salbutamol inhaler") && record.contains("Penicillin"), record);
        assertTrue(record.contains("Depressive disorder") && record.contains("Sensitive: mental health"),
                "a sensitive line is marked in words: " + record);
        browser.checkAtBothWidths("03b-my-record");

        HttpResponse<String> read = site.api("GET", "/fhir/Patient/" + ADA_RECORD, site.token(GP, PRACTICE, Purpose.TREAT, null), null);
        assertEquals(200, read.statusCode(), read.body());
        String receipt = read.headers().firstValue("X-Custodian-Receipt").orElseThrow();

        browser.clickThen("nav.sections a[href='/my/activity']", "ol.uses");
        String list = browser.find("main").getText();
        assertTrue(list.contains("Ledger entry " + receipt + "."), "the clinician's read is listed at once");
        assertTrue(list.contains("Dr Ngozi Okafor, clinician"), list);
        browser.checkAtBothWidths("04-who-used-my-data");

        browser.clickThen("nav.sections a[href='/my/choices']", "form[action='/my/choices']");
        browser.checkAtBothWidths("05-my-choices");
        browser.find("input[name=research][value=no]").click();
        String confirmation = browser.clickThen("form[action='/my/choices'] button[type=submit]", "#confirmation").getText();
        assertTrue(confirmation.contains("research projects will not receive your data, even without your name on it"), confirmation);
        browser.checkAtBothWidths("06-choice-recorded");

        HttpResponse<String> research = site.api("POST", "/api/decisions", site.token(RESEARCHER, UNIVERSITY, Purpose.HRESCH, DIABETES),
                "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"pseudonymised\"}");
        assertTrue(research.body().contains("\"deny\""), "refused right after the withdrawal: " + research.body());

        browser.open(site.base + "my/activity");
        String newest = browser.driver().findElements(By.cssSelector("ol.uses > li")).get(1).getText();
        assertTrue(newest.contains("University of Northfield") && newest.contains("Refused") && newest.contains("Research"),
                "the refusal is listed just under this visit: " + newest);
        browser.checkAtBothWidths("07-refusal-listed");
        browser.clickThen("ol.uses > li:nth-child(3) a[href^='/my/activity/proof/']", "main h1");
        assertTrue(browser.find("h1").getText().startsWith("Proof that entry"));
        browser.checkAtBothWidths("07b-proof");
        browser.open(site.base + "my/activity");

        browser.find("#purpose option[value=HRESCH]").click();
        browser.clickThen("form.filters button", "main h1");
        assertTrue(browser.driver().getCurrentUrl().contains("purpose=HRESCH"));
        browser.checkAtBothWidths("08-filtered");
    }

    @Test
    @Order(3)
    void aProxyChoosesWhoseRecordAndTheBannerSaysWhose() {
        browser.driver().manage().deleteAllCookies();
        signIn("patient-ben");
        assertEquals("Whose record do you want to look at?", browser.find("h1").getText());
        browser.checkAtBothWidths("09-whose-record");
        browser.find("input[name=patient][value='" + ADA + "']").click();
        browser.clickThen("form[action='/my/acting-for'] button", ".banner");
        assertTrue(browser.find(".banner").getText().contains("You are acting for Ada Lovelace"), browser.find(".banner").getText());
        browser.open(site.base + "my/choices");
        browser.checkAtBothWidths("10-proxy-choices");
    }

    @Test
    @Order(4)
    void theStaffPageIsAccessible() {
        browser.driver().manage().deleteAllCookies();
        signIn("reception-jones");
        assertEquals("Record a patient's choices", browser.find("h1").getText());
        browser.checkAtBothWidths("11-staff");
        browser.find("#nhs").sendKeys("1234567890");
        browser.clickThen("form[action='/staff/patient'] button", ".error");
        browser.checkAtBothWidths("12-staff-invalid-number");
        browser.find("#nhs").clear();
        browser.find("#nhs").sendKeys("943 476 5919");
        browser.clickThen("form[action='/staff/patient'] button", "form[action='/staff/patient/choices']");
        assertTrue(browser.find(".banner").getText().contains("You are recording choices for Ada Lovelace"));
        browser.checkAtBothWidths("13-staff-patient-choices");
    }
}
