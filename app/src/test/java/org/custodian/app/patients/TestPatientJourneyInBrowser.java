package org.custodian.app.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.custodian.app.ServeProcess;
import org.custodian.core.identity.TokenIssuer;
import org.custodian.core.identity.TokenKeys;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

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
            Project.Status.APPROVED, LocalDate.of(2027, 12, 31), "REC 25/NW/0123");

    @RegisterExtension
    static final Browser browser = new Browser();

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

    /** Screenshot, axe and reflow, at desktop width and at 320 px. */
    private void checkPage(String name) {
        browser.viewport(Browser.DESKTOP);
        browser.screenshot(name);
        browser.assertAccessible();
        browser.viewport(Browser.NARROW);
        browser.screenshot(name + "-320");
        browser.assertAccessible();
        browser.assertNoHorizontalScroll();
        browser.viewport(Browser.DESKTOP);
    }

    private HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Clicks, then waits for the next page to have {@code css} (a click on a submit button does not wait for the page). */
    private WebElement clickThen(String click, String css) {
        WebElement old = browser.find("html");
        browser.find(click).click();
        WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
        wait.until(ExpectedConditions.stalenessOf(old));
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    private void signIn(String personId) {
        browser.open(base + "sign-in");
        browser.find("input[name=person][value=" + personId + "]").click();
        String code = clickThen("form[action='/sign-in/demo'] button", "#demo-code").getText();
        browser.find("#code").sendKeys(code);
        clickThen("form[action='/sign-in/code'] button", "main h1");
    }

    @Test
    @Order(1)
    void signInPagesAreAccessible() {
        browser.driver().manage().deleteAllCookies();
        browser.open(base + "sign-in");
        assertEquals("Sign in to see who used your data", browser.find("h1").getText());
        checkPage("01-sign-in");
        browser.find("input[name=person][value=patient-ada]").click();
        assertTrue(clickThen("form[action='/sign-in/demo'] button", ".demo").getText().contains("Demonstration only"), "the demo's code is labelled as such");
        checkPage("02-code");
    }

    @Test
    @Order(2)
    void aPatientSeesAClinicalReadWithdrawsResearchAndSeesTheNextResearchRequestRefused() throws Exception {
        browser.driver().manage().deleteAllCookies();
        signIn("patient-ada");
        assertTrue(browser.driver().getCurrentUrl().endsWith("/my"), browser.driver().getCurrentUrl());
        checkPage("03-home");

        String record = clickThen("main a[href='/my/record']", "main h2").findElement(By.xpath("ancestor::main")).getText();
        assertTrue(record.contains("Asthma") && record.contains("Salbutamol inhaler") && record.contains("Penicillin"), record);
        assertTrue(record.contains("Depressive disorder") && record.contains("Sensitive: mental health"),
                "a sensitive line is marked in words: " + record);
        checkPage("03b-my-record");

        HttpResponse<String> read = api("GET", "/fhir/Patient/" + ADA_RECORD,
                issuer.issue(GP, PRACTICE, Purpose.TREAT, null, Duration.ofMinutes(10)).token(), null);
        assertEquals(200, read.statusCode(), read.body());
        String receipt = read.headers().firstValue("X-Custodian-Receipt").orElseThrow();

        clickThen("nav.sections a[href='/my/activity']", "ol.uses");
        String list = browser.find("main").getText();
        assertTrue(list.contains("Ledger entry " + receipt + "."), "the clinician's read is listed at once");
        assertTrue(list.contains("Dr Ngozi Okafor, clinician"), list);
        checkPage("04-who-used-my-data");

        clickThen("nav.sections a[href='/my/choices']", "form[action='/my/choices']");
        checkPage("05-my-choices");
        browser.find("input[name=research][value=no]").click();
        String confirmation = clickThen("form[action='/my/choices'] button[type=submit]", "#confirmation").getText();
        assertTrue(confirmation.contains("research projects will not receive your data, even without your name on it"), confirmation);
        checkPage("06-choice-recorded");

        HttpResponse<String> research = api("POST", "/api/decisions",
                issuer.issue(RESEARCHER, UNIVERSITY, Purpose.HRESCH, DIABETES, Duration.ofMinutes(10)).token(),
                "{\"patient\":\"" + ADA + "\",\"resources\":[\"Observation\"],\"form\":\"pseudonymised\"}");
        assertTrue(research.body().contains("\"deny\""), "refused right after the withdrawal: " + research.body());

        browser.open(base + "my/activity");
        String newest = browser.driver().findElements(By.cssSelector("ol.uses > li")).get(1).getText();
        assertTrue(newest.contains("University of Northfield") && newest.contains("Refused") && newest.contains("Research"),
                "the refusal is listed just under this visit: " + newest);
        checkPage("07-refusal-listed");
        clickThen("ol.uses > li:nth-child(3) a[href^='/my/activity/proof/']", "main h1");
        assertTrue(browser.find("h1").getText().startsWith("Proof that entry"));
        checkPage("07b-proof");
        browser.open(base + "my/activity");

        browser.find("#purpose option[value=HRESCH]").click();
        clickThen("form.filters button", "main h1");
        assertTrue(browser.driver().getCurrentUrl().contains("purpose=HRESCH"));
        checkPage("08-filtered");
    }

    @Test
    @Order(3)
    void aProxyChoosesWhoseRecordAndTheBannerSaysWhose() {
        browser.driver().manage().deleteAllCookies();
        signIn("patient-ben");
        assertEquals("Whose record do you want to look at?", browser.find("h1").getText());
        checkPage("09-whose-record");
        browser.find("input[name=patient][value='" + ADA + "']").click();
        clickThen("form[action='/my/acting-for'] button", ".banner");
        assertTrue(browser.find(".banner").getText().contains("You are acting for Ada Lovelace"), browser.find(".banner").getText());
        browser.open(base + "my/choices");
        checkPage("10-proxy-choices");
    }

    @Test
    @Order(4)
    void theStaffPageIsAccessible() {
        browser.driver().manage().deleteAllCookies();
        signIn("reception-jones");
        assertEquals("Record a patient's choices", browser.find("h1").getText());
        checkPage("11-staff");
        browser.find("#nhs").sendKeys("1234567890");
        clickThen("form[action='/staff/patient'] button", ".error");
        checkPage("12-staff-invalid-number");
        browser.find("#nhs").clear();
        browser.find("#nhs").sendKeys("943 476 5919");
        clickThen("form[action='/staff/patient'] button", "form[action='/staff/patient/choices']");
        assertTrue(browser.find(".banner").getText().contains("You are recording choices for Ada Lovelace"));
        checkPage("13-staff-patient-choices");
    }
}
